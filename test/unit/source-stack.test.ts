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
import { mapStack, sourceMapped } from '../../functions/shared/source-stack.ts';
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
});

/** Runs the bundle's `fail` in a fresh Node; returns the stacks of the error and of its cause, mapped. */
function stacks(nodeOptions = ''): { outer: string; inner: string; enabled: boolean } {
  const child = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '--eval',
      `const m = await import(process.argv[1]);
       try { m.fail(); } catch (error) {
         m.sourceMapped(error);
         process.stdout.write(JSON.stringify({ outer: error.stack, inner: error.cause.stack, enabled: process.sourceMapsEnabled }));
       }`,
      bundle,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH, NODE_OPTIONS: nodeOptions } },
  );
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout);
}

describe('stacks of the bundles', () => {
  it('name the lines of the sources, the error’s and its cause’s', () => {
    const { outer, inner, enabled } = stacks();
    expect(enabled).toBe(false);
    expect(outer).toMatch(/^Error: outer\n\s+at \S+ \(.*entry\.ts:3:9\)/);
    expect(inner).toMatch(/^Error: inner\n\s+at \S+ \(.*entry\.ts:6:10\)/);
    expect(outer).not.toContain('index.mjs:');
  });

  it('are left as Node maps them when it does (--enable-source-maps)', () => {
    const { outer, enabled } = stacks('--enable-source-maps');
    expect(enabled).toBe(true);
    expect(outer).toMatch(/entry\.ts:3:9\)/);
  });

  it('leave positions without a map beside them as they are', () => {
    const stack = `Error: x\n    at handler (file://${dir}/nomap.mjs:1:200)\n    at run (node:internal/process/task_queues:105:5)`;
    expect(mapStack(stack)).toBe(stack);
    const error = new Error('unbundled');
    const before = error.stack;
    expect(sourceMapped(error)).toBe(error);
    expect(error.stack).toBe(before);
  });
});
