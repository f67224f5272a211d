/**
 * vitest globalSetup of the `e2e` project: a temporary folder where the local test servers record
 * every (route key, status) they answer (test/support/documented-statuses.ts), handed to the test
 * files as `inject('statusLogDir')`. Its teardown, after every file has run, fails the run when a
 * route answered a status that /openapi.json does not document for it, and names each one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { readObserved, undocumented } from './documented-statuses.ts';

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'oui-statuses-'));
  project.provide('statusLogDir', dir);
  return async () => {
    try {
      const observed = readObserved(dir);
      if (observed.length === 0) return;
      const [{ buildOpenApi }, { routes, routeKey }] = await Promise.all([
        import('../../functions/meta/openapi.ts'),
        import('../../functions/routes.ts'),
      ]);
      const missing = undocumented(observed, buildOpenApi() as never, routes.map(routeKey));
      if (missing.length > 0) {
        const list = missing.map((m) => `  ${m.routeKey} answered ${m.status}`).join('\n');
        throw new Error(
          `Statuses answered during the e2e run but not documented in /openapi.json (declare them in the route's contract, functions/*/contracts.ts):\n${list}`,
        );
      }
      console.log(`Documented statuses: the ${observed.length} (route, status) pairs the e2e run observed are all in /openapi.json.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
