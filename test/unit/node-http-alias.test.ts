/**
 * `http` and `node:http` bundled as the module itself (infra/constructs/bundling.ts `bundleAliases`,
 * functions/shared/node-http.cjs): the functions' observability (Powertools Tracer imports
 * `node:http`) and Stripe (`http`) no longer load undici when imported.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptionsFor, repoRoot } from '../../infra/constructs/bundling.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'node-http-alias-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Imports `bundle` in a fresh Node and reports whether undici was loaded, and what it exports. */
const CHILD = `
const mod = await import(process.argv[1]);
process.stdout.write(JSON.stringify({
  undici: process.moduleLoadList.some((m) => m.includes('undici')),
  request: typeof mod.http?.request,
  plainAgent: typeof mod.plain?.Agent,
  tracer: typeof mod.tracer?.isTracingEnabled,
  stripe: typeof mod.Stripe,
}));
`;

describe('node:http in the bundles', () => {
  it('is Node’s http module', () => {
    const require = createRequire(import.meta.url);
    expect(require(path.join(repoRoot, 'functions/shared/node-http.cjs'))).toBe(http);
  });

  it('the observability of every function, and Stripe, import without loading undici', async () => {
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `export { tracer } from ${JSON.stringify(path.join(repoRoot, 'functions/shared/observability.ts'))};`,
        // Stripe's ES module (through the house's gateway) imports `http`, without the prefix.
        `export { stripeClient as Stripe } from ${JSON.stringify(path.join(repoRoot, 'functions/payments/gateway.ts'))};`,
        "import http from 'node:http';",
        "import * as plain from 'http';",
        'export { http, plain };',
        '',
      ].join('\n'),
    );
    const bundle = path.join(dir, 'index.mjs');
    await build(esbuildOptionsFor(entry, bundle));
    const child = spawnSync(process.execPath, ['--input-type=module', '--eval', CHILD, bundle], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-3', POWERTOOLS_TRACE_ENABLED: 'false', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      undici: false,
      request: 'function',
      plainAgent: 'function',
      tracer: 'function',
      stripe: 'function',
    });
  });
});
