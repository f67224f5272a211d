/**
 * The doors between the rooms (issue 8): walks the import graph of functions/ and fails on an
 * import from one context into another's internals, on the ground floor (shared/, events/) leaning
 * on an upper one, and on `adapters()` called outside handlers/. Each offending arrow is printed.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adapterCalls, arrowsOf, existsIn, importsOf, readFunctions, violations, zoneOf } from '../support/import-graph.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the import graph of functions/', () => {
  it('has no arrow into another context but through its door, none from the ground floor up, no adapters() outside handlers/', () => {
    const sources = readFunctions(root);
    expect(sources.size).toBeGreaterThan(50);
    const found = violations(sources, existsIn(root));
    if (found.length > 0) console.error(`Offending arrows (${found.length}):\n${found.map((v) => `  (${v.rule}) ${v.text}`).join('\n')}`);
    expect(found.map((v) => `(${v.rule}) ${v.text}`)).toEqual([]);
  });

  it('sees the arrows that exist: the OpenAPI document reads every context’s contracts', () => {
    const arrows = arrowsOf(readFunctions(root), existsIn(root)).filter((a) => a.from === 'functions/meta/openapi.ts');
    expect(arrows.map((a) => a.to)).toEqual(
      expect.arrayContaining(['functions/onboarding/contracts.ts', 'functions/quotes/contracts.ts', 'functions/routes.ts']),
    );
  });
});

describe('the checker', () => {
  it('reads static, re-exporting, side-effect, multi-line, type and dynamic imports, and nothing in comments or strings', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      'import {',
      '  c,',
      "  d } from './cd.ts';",
      "export * from './e.ts';",
      "export { f } from './f.ts';",
      "import './side-effect.ts';",
      "const g = await import('./g.ts');",
      "type H = import('./h.ts').H;",
      "// import z from './comment.ts';",
      "/* import y from './block.ts'; */",
      'const s = "import q from \'./string.ts\'";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal, on purpose
      "const t = `import r from './template.ts' ${`nested ${'./x.ts'}`} ${{ a: 1 }.a}`; import { j } from './after-template.ts';",
      "const re = /['\"]/g; import { i } from './after-regex.ts';",
      'const half = 1 / 2; const third = 1 / 3;',
      "export const x = Array.from('abc');",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      { specifier: './a.ts', line: 1 },
      { specifier: '../b.ts', line: 2 },
      { specifier: './cd.ts', line: 5 },
      { specifier: './e.ts', line: 6 },
      { specifier: './f.ts', line: 7 },
      { specifier: './side-effect.ts', line: 8 },
      { specifier: './g.ts', line: 9 },
      { specifier: './h.ts', line: 10 },
      { specifier: './after-template.ts', line: 14 },
      { specifier: './after-regex.ts', line: 15 },
    ]);
  });

  it('finds adapters() calls but not its declaration, a method of the same name or a comment', () => {
    const source = [
      'export function adapters(): Adapters {',
      '  return installed ?? cloudAdapters();',
      '}',
      '// handlers call adapters() once',
      'const ports = adapters();',
      'const other = registry.adapters();',
      'const later = () => adapters ();',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal, on purpose
      'const link = `${adapters().publicBaseUrl()}/pay/${token}`;',
      "const text = `adapters() in a template's text`;",
    ].join('\n');
    expect(adapterCalls(source)).toEqual([5, 7, 8]);
  });

  it('names the zones: contexts, the shared kernels, the top-level tables', () => {
    expect(zoneOf('functions/quotes/send.ts')).toEqual({ kind: 'context', name: 'quotes' });
    expect(zoneOf('functions/meta/openapi.ts')).toEqual({ kind: 'context', name: 'meta' });
    expect(zoneOf('functions/shared/pdf/fonts.ts')).toEqual({ kind: 'shared' });
    expect(zoneOf('functions/events/catalog.ts')).toEqual({ kind: 'events' });
    expect(zoneOf('functions/routes.ts')).toEqual({ kind: 'table' });
    expect(zoneOf('infra/local/start.ts')).toEqual({ kind: 'outside' });
  });

  it('catches each kind of planted bad arrow, and lets the allowed ones through', () => {
    const fake = new Map<string, string>([
      [
        'functions/quotes/send.ts',
        [
          "import { loadClient } from '../onboarding/index.ts';", // the door: allowed
          "import { contracts } from '../invoices/contracts.ts';", // contracts: allowed
          "import { keys } from '../onboarding/store.ts';", // (a)
          "export { balance } from '../invoices/domain/balance.ts';", // (a), re-export
          "const late = await import('../payments/service.ts');", // (a), dynamic
          "import { own } from './store.ts';", // own context: allowed
          "import { z } from '../shared/schemas.ts';", // shared kernel: allowed
          "import { catalog } from '../events/catalog.ts';", // events kernel: allowed
          "import { routes } from '../routes.ts';", // top-level table: allowed
          "import { thing } from '../onboarding';", // a folder: its index.ts, allowed
          'const ports = adapters();', // (c)
        ].join('\n'),
      ],
      ['functions/quotes/handlers/send.ts', "import { adapters } from '../../shared/adapters.ts';\nconst ports = () => adapters();"],
      ['functions/onboarding/index.ts', "export { loadClient } from './store.ts';"],
      ['functions/onboarding/store.ts', ''],
      ['functions/shared/schemas.ts', "import { isValidSiret } from '../onboarding/domain/identifiers.ts';"], // (b)
      ['functions/shared/job.ts', "import { catalog } from '../events/catalog.ts';"], // (b)
      ['functions/events/consumer.ts', "import { loadClient } from '../onboarding/index.ts';"], // (b)
      ['functions/meta/openapi.ts', "import { contracts } from '../onboarding/contracts.ts';"], // allowed
    ]);
    expect(violations(fake).map((v) => `(${v.rule}) ${v.text}`)).toEqual([
      '(b) functions/events/consumer.ts:1 → functions/onboarding/index.ts (the events kernel imports a context)',
      '(a) functions/quotes/send.ts:3 → functions/onboarding/store.ts (not the door of onboarding)',
      '(a) functions/quotes/send.ts:4 → functions/invoices/domain/balance.ts (not the door of invoices)',
      '(a) functions/quotes/send.ts:5 → functions/payments/service.ts (not the door of payments)',
      '(c) functions/quotes/send.ts:11 calls adapters() outside handlers/ (take the ports as a parameter)',
      '(b) functions/shared/job.ts:1 → functions/events/catalog.ts (shared/ imports events)',
      '(b) functions/shared/schemas.ts:1 → functions/onboarding/domain/identifiers.ts (shared/ imports a context)',
    ]);
  });
});
