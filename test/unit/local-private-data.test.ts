import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDataDirPrivate } from '../../infra/local/private-data.ts';

const mode = (path: string): string => (statSync(path).mode & 0o7777).toString(8);

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'oui-private-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function worldReadable(path: string, content = 'x'): string {
  writeFileSync(path, content);
  chmodSync(path, 0o644);
  return path;
}

describe('makeDataDirPrivate', () => {
  it('makes an existing world-readable data directory owner-only: directories 0700, files 0600', () => {
    const data = join(root, 'data');
    for (const dir of ['keys', 'dynamodb', 'documents/q/Q-1', 'document-meta', 'outbox'])
      mkdirSync(join(data, dir), { recursive: true, mode: 0o755 });
    chmodSync(data, 0o755);
    const files = [
      worldReadable(join(data, 'runtime.json'), '{"stripe":{"apiKey":"sk_test_x","webhookSecret":"whsec_x"}}'),
      worldReadable(join(data, 'keys', 'jwt-signing-key.json')),
      worldReadable(join(data, 'dynamodb', 'shared-local-instance.db')),
      worldReadable(join(data, 'documents', 'q', 'Q-1', 'devis.pdf')),
      worldReadable(join(data, 'outbox', '1.eml')),
    ];
    chmodSync(join(data, 'documents', 'q'), 0o755);

    makeDataDirPrivate(data);

    expect(mode(data)).toBe('700');
    for (const dir of ['keys', 'dynamodb', 'documents', 'documents/q', 'documents/q/Q-1', 'document-meta', 'outbox'])
      expect({ dir, mode: mode(join(data, dir)) }).toEqual({ dir, mode: '700' });
    for (const file of files) expect({ file, mode: mode(file) }).toEqual({ file, mode: '600' });
  });

  it('creates a missing data directory 0700', () => {
    const data = join(root, 'a', 'b');
    makeDataDirPrivate(data);
    expect(mode(data)).toBe('700');
  });

  it('walks only its own entries and never follows a symbolic link out of the directory', () => {
    const data = join(root, 'data');
    mkdirSync(join(data, 'documents'), { recursive: true });
    const outside = worldReadable(join(root, 'outside.txt'));
    const unrelated = worldReadable(join(data, 'notes.txt'));
    symlinkSync(outside, join(data, 'documents', 'link.pdf'));
    makeDataDirPrivate(data);
    expect(mode(outside)).toBe('644');
    expect(mode(unrelated)).toBe('644'); // unreachable all the same: its directory is 0700
    expect(mode(data)).toBe('700');
  });

  it('refuses a shared directory such as /tmp (sticky bit) without changing it', () => {
    const shared = join(root, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    expect(() => makeDataDirPrivate(shared)).toThrow(/shared directory/);
    expect(mode(shared)).toBe('1777');
  });
});
