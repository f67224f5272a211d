/**
 * The import graph of functions/ and the rules of its doors (issue 8, README "Architecture"):
 *
 * (a) a context imports another context only through its door, `functions/<context>/index.ts`, or its
 *     `contracts.ts` (public by nature; functions/meta builds the OpenAPI document from them).
 *     Contexts are the first-level folders of functions/ but `shared` and `events`; the shared
 *     kernels (`functions/shared/**`, `functions/events/**`) and the top-level tables
 *     (`functions/*.ts`: routes, jobs, consumers, tables, grants) may be imported by anyone.
 * (b) the ground floor stays ground: nothing in functions/shared/ imports a context or
 *     functions/events/, and functions/events/ (a shared kernel too) imports no context.
 * (c) `adapters()` is called only in `handlers/` files: the composition point of each runtime binds
 *     the ports and hands them to the use cases.
 *
 * Pure: the checker reads sources handed to it, so a test can feed it a small fake graph.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';

export interface Arrow {
  /** Repository-relative path of the importing file, e.g. functions/quotes/send.ts. */
  readonly from: string;
  /** Repository-relative path of the imported file. */
  readonly to: string;
  readonly line: number;
}

export interface Violation {
  readonly rule: 'a' | 'b' | 'c';
  readonly file: string;
  readonly line: number;
  /** What to print: the offending arrow, or the offending call. */
  readonly text: string;
}

// ---- Reading sources: comments and literals set aside ------------------------------------------

const keywordsBeforeRegex = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

/**
 * The code with comments blanked, the text of template literals blanked (their `${…}` expressions
 * kept, as code) and every string literal replaced by `"<n>"` (its value in `strings[n]`); line
 * breaks kept, so offsets give the right line numbers.
 */
export function lex(source: string): { code: string; strings: string[] } {
  let code = '';
  const strings: string[] = [];
  let i = 0;
  const keepLines = (text: string) => text.replace(/[^\n]/g, ' ');
  const regexMayStart = () => {
    const trimmed = code.trimEnd();
    const char = trimmed.at(-1) ?? '';
    const word = /[\w$]+$/.exec(trimmed)?.[0];
    return char === '' || '(,=:[!&|?{};+-*%<>~^'.includes(char) || (word !== undefined && keywordsBeforeRegex.has(word));
  };

  /** Code from `i` up to the end, or (inside a template's `${`) up to its closing brace. */
  function scanCode(inTemplate: boolean): void {
    let depth = 0;
    while (i < source.length) {
      const c = source[i]!;
      const next = source[i + 1];
      if (c === '/' && next === '/') {
        const end = source.indexOf('\n', i);
        const stop = end === -1 ? source.length : end;
        code += keepLines(source.slice(i, stop));
        i = stop;
      } else if (c === '/' && next === '*') {
        const end = source.indexOf('*/', i + 2);
        const stop = end === -1 ? source.length : end + 2;
        code += keepLines(source.slice(i, stop));
        i = stop;
      } else if (c === '"' || c === "'") {
        let j = i + 1;
        let value = '';
        while (j < source.length && source[j] !== c && source[j] !== '\n') {
          if (source[j] === '\\') {
            value += source[j + 1] ?? '';
            j += 2;
          } else value += source[j++];
        }
        strings.push(value);
        code += `"${strings.length - 1}"`;
        i = j + 1;
      } else if (c === '`') {
        scanTemplate();
      } else if (c === '/' && regexMayStart()) {
        let j = i + 1;
        let inClass = false;
        while (j < source.length && source[j] !== '\n') {
          const r = source[j]!;
          if (r === '\\') j += 2;
          else {
            if (r === '[') inClass = true;
            else if (r === ']') inClass = false;
            else if (r === '/' && !inClass) break;
            j++;
          }
        }
        j++;
        while (j < source.length && /[a-z]/i.test(source[j]!)) j++;
        code += `/${' '.repeat(Math.max(0, j - i - 2))}/`;
        i = j;
      } else {
        if (c === '{') depth++;
        if (c === '}') {
          if (inTemplate && depth === 0) return;
          depth--;
        }
        code += c;
        i++;
      }
    }
  }

  /** A template literal from its opening backtick: its text blanked, its expressions scanned as code. */
  function scanTemplate(): void {
    code += '`';
    i++;
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') {
        code += keepLines(source.slice(i, i + 2));
        i += 2;
      } else if (source[i] === '$' && source[i + 1] === '{') {
        code += '${';
        i += 2;
        scanCode(true);
        code += '}';
        i++;
      } else {
        code += keepLines(source[i]!);
        i++;
      }
    }
    code += '`';
    i++;
  }

  scanCode(false);
  return { code, strings };
}

const lineAt = (code: string, index: number) => code.slice(0, index).split('\n').length;

/** Every module specifier a file imports: `import … from`, `import '…'`, `export … from`, `import('…')` (also in types). */
export function importsOf(source: string): { specifier: string; line: number }[] {
  const { code, strings } = lex(source);
  const found: { specifier: string; line: number; index: number }[] = [];
  const patterns = [
    /\b(?:import|export)\b[^;"`]*?\bfrom\s*"(\d+)"/g, // import … from '…', export … from '…' (also multi-line)
    /\bimport\s*"(\d+)"/g, // import '…' (side effects only)
    /\bimport\s*\(\s*"(\d+)"/g, // import('…'), dynamic or in a type
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const at = match.index + match[0].lastIndexOf('"', match[0].length - 2);
      found.push({ specifier: strings[Number(match[1])]!, line: lineAt(code, at), index: at });
    }
  }
  return found.sort((a, b) => a.index - b.index).map(({ specifier, line }) => ({ specifier, line }));
}

/** Calls of the global `adapters()` (not its declaration, not a method of the same name). */
export function adapterCalls(source: string): number[] {
  const { code } = lex(source);
  return [...code.matchAll(/(?<![\w$.])(?<!function\s+)adapters\s*\(/g)].map((match) => lineAt(code, match.index));
}

// ---- The graph ---------------------------------------------------------------------------------

/**
 * The repository-relative file a relative specifier names, seen from `from`: `.js` read as `.ts`,
 * a bare path completed with `.ts` or `/index.ts` (whichever `exists`). Packages → undefined.
 */
export function resolveSpecifier(from: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (target.endsWith('.ts')) return target;
  if (target.endsWith('.js')) return `${target.slice(0, -3)}.ts`;
  for (const candidate of [`${target}.ts`, `${target}/index.ts`]) if (exists(candidate)) return candidate;
  return `${target}.ts`;
}

/** Every arrow between files of `sources` (path → text), resolved. */
export function arrowsOf(sources: ReadonlyMap<string, string>, exists: (path: string) => boolean = (p) => sources.has(p)): Arrow[] {
  const arrows: Arrow[] = [];
  for (const [from, source] of sources) {
    for (const { specifier, line } of importsOf(source)) {
      const to = resolveSpecifier(from, specifier, exists);
      if (to) arrows.push({ from, to, line });
    }
  }
  return arrows;
}

type Zone = { kind: 'context'; name: string } | { kind: 'shared' } | { kind: 'events' } | { kind: 'table' } | { kind: 'outside' };

export function zoneOf(path: string): Zone {
  const parts = path.split('/');
  if (parts[0] !== 'functions') return { kind: 'outside' };
  if (parts.length === 2) return { kind: 'table' };
  if (parts[1] === 'shared') return { kind: 'shared' };
  if (parts[1] === 'events') return { kind: 'events' };
  return { kind: 'context', name: parts[1]! };
}

const isDoor = (path: string, context: string) => path === `functions/${context}/index.ts` || path === `functions/${context}/contracts.ts`;

const isHandlerFile = (path: string) => path.split('/').includes('handlers');

/** What breaks the rules (a), (b), (c) above, in file order. */
export function violations(sources: ReadonlyMap<string, string>, exists?: (path: string) => boolean): Violation[] {
  const found: Violation[] = [];
  for (const arrow of arrowsOf(sources, exists)) {
    const from = zoneOf(arrow.from);
    const to = zoneOf(arrow.to);
    const text = `${arrow.from}:${arrow.line} → ${arrow.to}`;
    if (from.kind === 'context' && to.kind === 'context' && from.name !== to.name && !isDoor(arrow.to, to.name)) {
      found.push({ rule: 'a', file: arrow.from, line: arrow.line, text: `${text} (not the door of ${to.name})` });
    } else if (from.kind === 'shared' && (to.kind === 'context' || to.kind === 'events')) {
      found.push({
        rule: 'b',
        file: arrow.from,
        line: arrow.line,
        text: `${text} (shared/ imports ${to.kind === 'events' ? 'events' : 'a context'})`,
      });
    } else if (from.kind === 'events' && to.kind === 'context') {
      found.push({ rule: 'b', file: arrow.from, line: arrow.line, text: `${text} (the events kernel imports a context)` });
    }
  }
  for (const [file, source] of sources) {
    if (!file.startsWith('functions/') || isHandlerFile(file)) continue;
    for (const line of adapterCalls(source)) {
      found.push({ rule: 'c', file, line, text: `${file}:${line} calls adapters() outside handlers/ (take the ports as a parameter)` });
    }
  }
  return found.sort((x, y) => x.file.localeCompare(y.file) || x.line - y.line);
}

/** Every `functions/**\/*.ts` file of the repository at `root`, by repository-relative path. */
export function readFunctions(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(posix.join(root, dir), { withFileTypes: true })) {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) sources.set(path, readFileSync(posix.join(root, path), 'utf8'));
    }
  };
  walk('functions');
  return sources;
}

export const existsIn = (root: string) => (path: string) => existsSync(posix.join(root, path));
