/**
 * Opaque cursors over DynamoDB Query pages. A cursor is the page's LastEvaluatedKey, base64url
 * JSON; on the way back it must name exactly the keys of the index queried and the partition the
 * caller is allowed to read, so a forged cursor cannot reach another territory's items.
 */
import { ValidationError } from './errors.ts';

export type Key = Record<string, string>;

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/**
 * `partition` names the key values the cursor must carry as they are; `sortPrefix` a sort key
 * attribute and the prefix its value must start with (the `begins_with` of the query): a cursor
 * taken from a list with other filters is refused rather than sent to DynamoDB.
 */
export function decodeCursor(
  cursor: string | undefined,
  keyNames: readonly string[],
  partition: Key,
  sortPrefix?: { name: string; prefix: string },
): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new ValidationError([{ path: 'query.cursor', message: 'is not a cursor returned by this list' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const entries = Object.entries(parsed);
  if (entries.length !== keyNames.length || !entries.every(([k, v]) => keyNames.includes(k) && typeof v === 'string' && v !== ''))
    throw invalid();
  const key = parsed as Key;
  for (const [name, value] of Object.entries(partition)) if (key[name] !== value) throw invalid();
  if (sortPrefix && !key[sortPrefix.name]!.startsWith(sortPrefix.prefix)) throw invalid();
  return key;
}
