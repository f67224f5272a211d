/**
 * Who did what, and when: the audit fields of a new record, and the history entry every write
 * puts in its transaction (items `<entity pk> / HIST#<version>` of the entity's own table).
 */
import type { TransactItem } from './transactions.ts';

export interface Actor {
  readonly sub: string;
  readonly role: string;
}

/** createdAt/By, updatedAt/By and version 1 of a record made by `actor` at `now`. */
export function createdBy(actor: Actor, now: Date) {
  const at = now.toISOString();
  return { createdAt: at, createdBy: actor.sub, updatedAt: at, updatedBy: actor.sub, version: 1 };
}

export const historyKey = (entityPk: string, version: number) => ({ pk: entityPk, sk: `HIST#${String(version).padStart(6, '0')}` });

/** The history entry of the record `entityPk` at `version`, to write in the same transaction. */
export function historyPut(
  tableName: string,
  entityPk: string,
  version: number,
  actor: Actor,
  now: Date,
  entry: Record<string, unknown>,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...historyKey(entityPk, version),
        entity: 'history',
        version,
        at: now.toISOString(),
        by: { sub: actor.sub, role: actor.role },
        ...entry,
      },
    },
  };
}
