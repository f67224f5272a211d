/**
 * Stack traces of the bundles, read against their source maps when an error is logged rather
 * than when a function starts. With `--enable-source-maps`, Node reads and parses the `.map` of
 * every bundle it loads, at every cold start (0.7 MB for the PDF functions: 6 ms of their cold
 * path, scripts/bench/pdf-cold.ts), to map stacks that are almost never printed. The house
 * functions run without it (infra/constructs/function.ts), and the errors they log go through
 * `sourceMapped`: each frame in a bundle that has a map beside it (`index.mjs.map`) is given its
 * place in the sources (`functions/quotes/send.ts:199:11`); the map is read on the first error of
 * the container. Where Node maps stacks itself (the flag given), or for code run unbundled (the
 * local runtime, the tests), stacks are left as they are.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A frame's place in a bundle: `file:///var/task/index.mjs:1:23456`. */
const BUNDLE_POSITION = /\b(file:\/\/\/[^\s()]+?\.mjs):(\d+):(\d+)\b/g;

/** The map of each bundle met, or null when it has none. */
const maps = new Map<string, SourceMap | null>();

function mapOf(url: string): SourceMap | null {
  let map = maps.get(url);
  if (map !== undefined) return map;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
  } catch {
    // No map beside it (unbundled code), or one that cannot be read: the positions stay as they are.
    map = null;
  }
  maps.set(url, map);
  return map;
}

/** A source's path from the repository root (`functions/…`, `node_modules/…`), as the map names it relative to itself. */
function sourcePath(source: string): string {
  const path = source.startsWith('file://') ? fileURLToPath(source) : source;
  const root = path.search(/(^|\/)(functions|node_modules|layers|test)\//);
  return root < 0 ? path : path.slice(path[root] === '/' ? root + 1 : root);
}

/** `stack` with each position in a bundle replaced by its position in the sources. */
export function mapStack(stack: string): string {
  return stack.replace(BUNDLE_POSITION, (position, url: string, line: string, column: string) => {
    const map = mapOf(url);
    if (!map) return position;
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!('originalSource' in entry)) return position;
    return `${sourcePath(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

/**
 * The error, its stack (and its causes') read against the bundle's source map, for logging. The
 * same object: only its `stack` is replaced, once.
 */
export function sourceMapped<E>(error: E, seen = new Set<Error>()): E {
  if (!(error instanceof Error) || process.sourceMapsEnabled || seen.has(error)) return error;
  seen.add(error);
  if (typeof error.stack === 'string') {
    Object.defineProperty(error, 'stack', { value: mapStack(error.stack), writable: true, configurable: true, enumerable: false });
  }
  sourceMapped(error.cause, seen);
  return error;
}
