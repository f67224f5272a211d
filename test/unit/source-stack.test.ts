/**
 * Stacks of a bundle read against its source map when logged (functions/shared/source-stack.ts),
 * the functions running without Node's --enable-source-maps: a bundle built as the CDK builds it,
 * run in a fresh Node, throws; the stack it logs names the source's line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapStack } from '../../functions/shared/source-stack.ts';
import { esbuildOptionsFor, repoRoot } from '../../infra/constructs/bundling.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'source-stack-'));
const bundle = path.join(dir, 'index.mjs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const entry = path.join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export { sourceMapped } from ${JSON.stringify(path.join(repoRoot, 'functions/shared/source-stack.ts'))};`,
      'export function fail(): never {',
      "  throw new Error('outer', { cause: inner() });",
      '}',
      'function inner(): Error {',
      "  return new Error('inner');",
      '}',
      '',
    ].join('\n'),
  );
  await build(esbuildOptionsFor(entry, bundle));
  writeFileSync(path.join(dir, 'corrupt.mjs'), 'export {};\n');
  writeFileSync(path.join(dir, 'corrupt.mjs.map'), '{ not json');
});

/**
 * In a fresh Node (given `nodeOptions`): the bundle's `fail` error, its stack and its cause's once
 * mapped; a stack naming a position in the bundle, mapped; the same stack on a frozen error; and a
 * stack naming a bundle whose map is not JSON.
 */
function stacks(nodeOptions = '') {
  const child = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '--eval',
      `import { pathToFileURL } from 'node:url';
       const [bundle, corrupt] = process.argv.slice(1);
       const m = await import(bundle);
       const out = { enabled: process.sourceMapsEnabled };
       try { m.fail(); } catch (error) {
         m.sourceMapped(error);
         Object.assign(out, { outer: error.stack, inner: error.cause.stack });
       }
       const named = (place) => 'Error: x\\n    at handler (' + place + ')';
       const synthetic = Object.assign(new Error('x'), { stack: named(pathToFileURL(bundle).href + ':2:40') });
       out.synthetic = [synthetic.stack, m.sourceMapped(synthetic).stack];
       const frozen = Object.freeze(Object.assign(new Error('x'), { stack: named(pathToFileURL(bundle).href + ':2:40') }));
       out.frozen = [frozen.stack, m.sourceMapped(frozen) === frozen && frozen.stack];
       const broken = Object.assign(new Error('x'), { stack: named(pathToFileURL(corrupt).href + ':1:1') });
       out.corrupt = [broken.stack, m.sourceMapped(broken).stack];
       process.stdout.write(JSON.stringify(out));`,
      bundle,
      path.join(dir, 'corrupt.mjs'),
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH, NODE_OPTIONS: nodeOptions } },
  );
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as Record<'outer' | 'inner', string> &
    Record<'synthetic' | 'frozen' | 'corrupt', [string, string]> & { enabled: boolean };
}

describe('stacks of the bundles', () => {
  it('name the lines of the sources, the error’s and its cause’s, and the names the map gives', () => {
    const { outer, inner, enabled, synthetic } = stacks();
    expect(enabled).toBe(false);
    expect(outer).toMatch(/^Error: outer\n\s+at \S+ \(.*entry\.ts:3:9\)/);
    // The cause's function, minified in the bundle, named again from its call site.
    expect(inner).toMatch(/^Error: inner\n\s+at inner \(.*entry\.ts:6:10\)\n\s+at \S+ \(.*entry\.ts:3:/);
    expect(outer).not.toContain('index.mjs:');
    expect(synthetic[1]).not.toBe(synthetic[0]);
    expect(synthetic[1]).toMatch(/at handler \((functions|test)\/\S+\.ts:\d+:\d+\)$/);
  });

  it('are left as Node maps them when it does (--enable-source-maps)', () => {
    const { outer, enabled, synthetic } = stacks('--enable-source-maps');
    expect(enabled).toBe(true);
    expect(outer).toMatch(/entry\.ts:3:9\)/);
    expect(synthetic[1]).toBe(synthetic[0]);
  });

  it('are logged as they are when they cannot be mapped: a frozen error, a map that is not one, no map', () => {
    const { frozen, corrupt } = stacks();
    expect(frozen[1]).toBe(frozen[0]);
    expect(corrupt[1]).toBe(corrupt[0]);
    const stack = `Error: x\n    at handler (file://${dir}/nomap.mjs:1:200)\n    at run (node:internal/process/task_queues:105:5)`;
    expect(mapStack(stack)).toBe(stack);
  });
});
