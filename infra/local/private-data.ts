/**
 * The data directory of the local runtime holds secrets (runtime.json carries the Stripe
 * stand-in's API key and webhook secret; keys/ the signing keys) and personal data (DynamoDB's
 * database files, documents, e-mails): it is readable by its owner only.
 *
 * - The directory itself is 0700, so nothing in it can be reached by another user, whatever the
 *   mode of the files inside.
 * - Everything the runtime keeps in it (PRIVATE_ENTRIES), including what an older version left
 *   world-readable, is made owner-only at start: directories 0700, files 0600.
 * - New files: `npm start` runs under umask 077 (PRIVATE_UMASK), which the DynamoDB Local JVM
 *   inherits, so its database and journal files are created 0600.
 * Only the runtime's own entries are walked, never the rest of a DATA_DIR chosen by the user; a
 * shared directory (sticky bit, e.g. /tmp) or one owned by another user is refused.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_UMASK = 0o077;

/** What the local runtime writes in its data directory. */
export const PRIVATE_ENTRIES = ['runtime.json', 'keys', 'dynamodb', 'documents', 'document-meta', 'outbox'] as const;

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Directories 0700, files 0600, recursively; symbolic links are neither followed nor changed. */
function restrict(path: string): void {
  const stat = lstatOrUndefined(path);
  if (!stat || stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(path, 0o700);
    for (const name of readdirSync(path)) restrict(join(path, name));
  } else {
    chmodSync(path, 0o600);
  }
}

/** Creates the data directory (0700) if needed and makes it and the runtime's entries owner-only. */
export function makeDataDirPrivate(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dataDir);
  if (!stat.isDirectory()) throw new Error(`The data directory ${dataDir} is not a directory.`);
  if (stat.mode & 0o1000)
    throw new Error(`The data directory ${dataDir} is a shared directory (sticky bit): set DATA_DIR to a directory of its own.`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid)
    throw new Error(`The data directory ${dataDir} belongs to another user (uid ${stat.uid}): set DATA_DIR to a directory of yours.`);
  chmodSync(dataDir, 0o700);
  for (const entry of PRIVATE_ENTRIES) restrict(join(dataDir, entry));
}

/** Files and directories created from now on (and by child processes) are owner-only. */
export function usePrivateUmask(): void {
  process.umask(PRIVATE_UMASK);
}
