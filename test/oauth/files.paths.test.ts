import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { fileExists, planOutput, readFileBytes, readTextFile, writeFileAtomic } from '../../src/oauth/files.js';
import { useEmulatorHarness } from '../helpers/harness.js';

const h = useEmulatorHarness();

describe('output paths', () => {
  it('a parent that is a file is not a folder; a path through a file is not writable; /proc refuses the probe', async () => {
    const dir = h.workspace.dir;
    writeFileSync(join(dir, 'file'), 'x');
    await expect(planOutput(join(dir, 'file', 'token.json'), { force: true, update: false })).rejects.toThrow(`Cannot write ${join(dir, 'file', 'token.json')}: ${join(dir, 'file')} is not a folder.`);
    await expect(planOutput(join(dir, 'file', 'sub', 'token.json'), { force: true, update: false })).rejects.toThrow(
      new RegExp(`^Cannot write .*: the folder .*file/sub is not writable \\(ENOTDIR\\)\\. Choose another --out\\.$`),
    );
    const proc = planOutput('/proc/gmail-token-mutants.json', { force: true, update: false });
    await expect(proc).rejects.toBeInstanceOf(UsageError);
    await expect(proc).rejects.toThrow(/^Cannot write \/proc\/gmail-token-mutants\.json: the folder \/proc is not writable \(E[A-Z]+(: [a-z ]+)?\)\. Choose another --out\.$/);
  });

  it('a FIFO at the path is not a regular file', async () => {
    const fifo = join(h.workspace.dir, 'token.json');
    execFileSync('mkfifo', [fifo]);
    await expect(planOutput(fifo, { force: true, update: false })).rejects.toThrow(`${fifo} is not a regular file. Choose another --out.`);
  });

  it('a folder gone before the write is named as such', async () => {
    const path = join(h.workspace.dir, 'gone', 'token.json');
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow(`Could not write ${path} (ENOENT: the folder is gone); nothing was changed. Choose another --out, then run again.`);
  });

  it('reads text files with a message for a missing file (with its hint) or a folder', async () => {
    const dir = h.workspace.dir;
    writeFileSync(join(dir, 'a.json'), 'text');
    mkdirSync(join(dir, 'folder'));
    expect(await readTextFile(join(dir, 'a.json'), 'Token file')).toBe('text');
    await expect(readTextFile(join(dir, 'none.json'), 'Token file', 'Run mint.')).rejects.toThrow(`Token file ${join(dir, 'none.json')} does not exist. Run mint.`);
    await expect(readTextFile(join(dir, 'none.json'), 'Token file')).rejects.toThrow(new RegExp(`^Token file .*none\\.json does not exist\\.$`));
    await expect(readTextFile(join(dir, 'folder'), 'Token file')).rejects.toThrow(`Token file ${join(dir, 'folder')} is a folder, not a file.`);
    await expect(readTextFile(join(dir, 'none.json'), 'Token file')).rejects.toBeInstanceOf(UsageError);
    expect(await fileExists(join(dir, 'a.json'))).toBe(true);
    expect(await fileExists(join(dir, 'none.json'))).toBe(false);
  });

  it('reads no FIFO, and names what else keeps a file from being read, by the path the person gave', async () => {
    const dir = h.workspace.dir;
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'a.json'), 'text');
    await expect(readFileBytes(join(dir, 'fifo'), 'Token file', '', 'fifo')).rejects.toThrow(/^Token file fifo is not a regular file\.$/);
    const through = readFileBytes(join(dir, 'a.json', 'b.json'), 'Token file', 'Run mint.', 'a.json/b.json');
    await expect(through).rejects.toBeInstanceOf(UsageError);
    await expect(through).rejects.toThrow(/^Cannot read Token file a\.json\/b\.json \(ENOTDIR\)\.$/);
  });

  it.runIf(existsSync('/proc/self/fd'))('closes the file it read, and the one it refused', async () => {
    const dir = h.workspace.dir;
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'a.json'), 'text');
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    await readFileBytes(join(dir, 'a.json'), 'Token file');
    await readFileBytes(join(dir, 'folder'), 'Token file').catch(() => undefined);
    expect(open()).toBe(before);
  });
});
