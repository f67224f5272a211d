/**
 * `node:http` bundled as a required module (infra/constructs/bundling.ts `bundleAliases`,
 * functions/shared/node-http.cjs): the functions' observability (Powertools Tracer imports
 * `node:http`) no longer loads undici when imported, and `http` is Node's own module.
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

/** Imports `bundle` in a fresh Node and reports whether undici was loaded, and what `http.get` is. */
const CHILD = `
const before = process.moduleLoadList.some((m) => m.includes('undici'));
const mod = await import(process.argv[1]);
process.stdout.write(JSON.stringify({
  before,
  undici: process.moduleLoadList.some((m) => m.includes('undici')),
  sameHttp: mod.http === (await import('node:module')).createRequire(import.meta.url)('node:http'),
  tracer: typeof mod.tracer?.isTracingEnabled,
}));
`;

describe('node:http in the bundles', () => {
  it('is Node’s http module, required', () => {
    const require = createRequire(import.meta.url);
    expect(require(path.join(repoRoot, 'functions/shared/node-http.cjs'))).toBe(http);
  });

  it('the observability of every function imports without loading undici', async () => {
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `export { tracer } from ${JSON.stringify(path.join(repoRoot, 'functions/shared/observability.ts'))};`,
        "import http from 'node:http';",
        'export { http };',
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
    expect(JSON.parse(child.stdout)).toEqual({ before: false, undici: false, sameHttp: true, tracer: 'function' });
  });
});
