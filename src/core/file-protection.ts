/**
 * What keeps a file gmail-token creates from other local users, in words for the person. Elsewhere
 * it is created 0600 (its folders 0700). Windows has no file modes (Node's mode there only sets the
 * read-only attribute): a new file takes its folder's ACL, so it is exactly as private as that
 * folder, and nothing more is claimed. (Setting an ACL afterwards, with icacls, would leave the
 * file readable through the folder's ACL between its creation and that call, and a handle opened
 * then stays valid; a child process per write would also slow access-token, run once per mail.)
 */
export function fileProtection(platform: NodeJS.Platform): string {
  return platform === 'win32' ? "readable by whoever its folder's permissions allow: Windows has no file modes" : 'mode 0600';
}
