import type { EmulatorClient } from './types.js';
import { ACCESS_PREFIX, CODE_PREFIX, REFRESH_PREFIX, randomId } from './tokens.js';

export const CODE_TTL_MS = 10 * 60 * 1000;
export const ACCESS_TTL_SECONDS = 3599;
/** Google silently drops the oldest refresh token past this many per client and account. */
const REFRESH_TOKENS_PER_ACCOUNT = 100;

/** A validated consent request, as it stands when the person decides. */
export interface ConsentRequest {
  client: EmulatorClient;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
  offline: boolean;
  forceConsent: boolean;
  account: string;
}

export interface AuthCode {
  request: ConsentRequest;
  granted: string[];
  expiresAt: number;
  used: boolean;
}

export interface Grant {
  clientId: string;
  account: string;
  scopes: string[];
  offline: boolean;
  live: boolean;
  refreshToken?: string;
  refreshExpiresAt?: number;
}

export interface AccessGrant {
  grant: Grant;
  expiresAt: number;
}

/** Everything the emulator remembers: clients, pending consents, codes and grants. */
export class GrantStore {
  private readonly clients = new Map<string, EmulatorClient>();
  private readonly pending = new Map<string, { request: ConsentRequest; expiresAt: number }>();
  private readonly codes = new Map<string, AuthCode>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, AccessGrant>();
  private readonly grants: Grant[] = [];

  addClient(client: EmulatorClient): void {
    this.clients.set(client.clientId, { ...client, redirectUris: [...client.redirectUris] });
  }

  client(clientId: string): EmulatorClient | undefined {
    return this.clients.get(clientId);
  }

  /** Parks a request while the consent page is shown; the id is the page's only handle on it. */
  holdConsent(request: ConsentRequest): string {
    const id = randomId();
    this.pending.set(id, { request, expiresAt: Date.now() + CODE_TTL_MS });
    return id;
  }

  takeConsent(id: string): ConsentRequest | undefined {
    const held = this.pending.get(id);
    this.pending.delete(id);
    return held && held.expiresAt > Date.now() ? held.request : undefined;
  }

  issueCode(request: ConsentRequest, granted: string[]): string {
    const code = `${CODE_PREFIX}${randomId(32)}`;
    this.codes.set(code, { request, granted, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    return code;
  }

  findCode(code: string): AuthCode | undefined {
    return this.codes.get(code);
  }

  /** Turns a checked code into a grant; a refresh token only where Google would hand one out. */
  redeem(entry: AuthCode, refreshTtlSeconds: number | undefined): Grant {
    entry.used = true;
    const { client, account, offline, forceConsent } = entry.request;
    const grant: Grant = { clientId: client.clientId, account, scopes: entry.granted, offline, live: true };
    if (offline && (forceConsent || this.liveOfflineGrants(client.clientId, account).length === 0)) {
      this.retireOldest(client.clientId, account);
      grant.refreshToken = `${REFRESH_PREFIX}${randomId(36)}`;
      if (refreshTtlSeconds !== undefined) grant.refreshExpiresAt = Date.now() + refreshTtlSeconds * 1000;
      this.refreshTokens.set(grant.refreshToken, grant);
    }
    this.grants.push(grant);
    return grant;
  }

  mintAccess(grant: Grant): string {
    const token = `${ACCESS_PREFIX}${randomId(48)}`;
    this.accessTokens.set(token, { grant, expiresAt: Date.now() + ACCESS_TTL_SECONDS * 1000 });
    return token;
  }

  liveAccess(token: string | undefined): AccessGrant | undefined {
    const access = token === undefined ? undefined : this.accessTokens.get(token);
    return access?.grant.live && access.expiresAt > Date.now() ? access : undefined;
  }

  liveRefresh(token: string | undefined): Grant | undefined {
    const grant = token === undefined ? undefined : this.refreshTokens.get(token);
    if (!grant?.live) return undefined;
    return grant.refreshExpiresAt === undefined || grant.refreshExpiresAt > Date.now() ? grant : undefined;
  }

  /**
   * Revoking any live token removes the app's access to the account, so every grant that account
   * gave this client ends, not only the one behind the token (Google's "Using OAuth 2.0 to Access
   * Google APIs", revoking a token; observed in Significant-Gravitas/AutoGPT#10493). False when the
   * token was not live.
   */
  revoke(token: string): boolean {
    const grant = this.liveRefresh(token) ?? this.liveAccess(token)?.grant;
    if (!grant) return false;
    const account = grant.account.toLowerCase();
    for (const g of this.grants) if (g.clientId === grant.clientId && g.account.toLowerCase() === account) g.live = false;
    return true;
  }

  revokeAll(): void {
    for (const grant of this.grants) grant.live = false;
  }

  private liveOfflineGrants(clientId: string, account: string): Grant[] {
    return this.grants.filter(
      (g) => g.clientId === clientId && g.account === account && this.liveRefresh(g.refreshToken) === g,
    );
  }

  private retireOldest(clientId: string, account: string): void {
    const live = this.liveOfflineGrants(clientId, account);
    const oldest = live[0];
    if (oldest && live.length >= REFRESH_TOKENS_PER_ACCOUNT) oldest.live = false;
  }
}
