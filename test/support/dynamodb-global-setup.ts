/**
 * vitest globalSetup of the `integration` and `e2e` projects: one in-memory DynamoDB Local for the
 * whole project, its endpoint handed to the test files as `inject('ddbEndpoint')`. Each test file
 * creates its own tables under a unique prefix (test/support/local-tables.ts), so files never
 * share data. The JVM is stopped in teardown, and by the exit hooks of dynamodb-local.ts if the
 * run dies first.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ddb = await startDynamoDbLocal();
  project.provide('ddbEndpoint', ddb.endpoint);
  return async () => {
    await ddb.stop();
  };
}
