/**
 * Integration-test helper: call `useLocalTables()` at the top of a test file. Before the file's
 * tests run, it creates every table of functions/tables.ts under a prefix unique to the file on the
 * project's DynamoDB Local (inject('ddbEndpoint')) and applies the local environment (endpoint,
 * region, credentials, table names).
 *
 * Module scope: handler and store modules may be imported statically above the call. They create
 * their SDK client lazily and read table names at call time, so the environment set here (in a
 * beforeAll hook, before any test) is the one they see. Import a module that reads the
 * environment at import time dynamically, inside a test or a later hook.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, inject } from 'vitest';
import { applyLocalEnv, ensureTables } from '../../infra/local/tables.ts';

export interface LocalTables {
  readonly endpoint: string;
  readonly prefix: string;
  /** Table name by environment variable (e.g. TABLE_DIRECTORY). */
  readonly tableEnv: Readonly<Record<string, string>>;
}

export const uniquePrefix = (label = 't'): string => `${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}-`;

/** Creates the tables and applies the environment now (for a beforeAll of your own, or top-level await). */
export async function setUpLocalTables(prefix: string = uniquePrefix()): Promise<LocalTables> {
  const endpoint = inject('ddbEndpoint');
  if (!endpoint)
    throw new Error('ddbEndpoint is not provided: run this file in a project whose globalSetup is test/support/dynamodb-global-setup.ts');
  const tableEnv = await ensureTables(endpoint, { prefix });
  applyLocalEnv(endpoint, tableEnv);
  return { endpoint, prefix, tableEnv };
}

/** Registers a beforeAll that sets the tables up; the returned object is filled in before the tests run. */
export function useLocalTables(prefix: string = uniquePrefix()): LocalTables {
  const handle = { endpoint: '', prefix, tableEnv: {} as Record<string, string> };
  beforeAll(async () => {
    Object.assign(handle, await setUpLocalTables(prefix));
  });
  return handle;
}
