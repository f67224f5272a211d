/**
 * Stack traces of the bundles, read against their source maps when an error is logged rather
 * than when a function starts. With `--enable-source-maps`, Node reads and parses the `.map` of
 * every bundle it loads, at every cold start (0.7 MB for the PDF functions: 6 ms of their cold
 * path, scripts/bench/pdf-cold.ts), to map stacks that are almost never printed. The house
 * functions run without it (infra/constructs/function.ts), and the errors they log
 * (observability.ts `logUnexpected`: unexpected errors of routes and pages, errors escaping jobs,
 * the relay and consumers) go through `sourceMapped`: each frame in a bundle that has a map
 * beside it (`index.mjs.map`) is given its place in the sources (`functions/quotes/send.ts:199:11`),
 * and, as Node does when the enclosing function is not known, the name the map gives at the call
 * site in the frame below; the map is read on the first error of the container.
 *
 * Not mapped: what the runtime prints by itself (an error thrown while the bundle is imported, an
 * uncaught exception), which shows positions in the minified bundle. Where Node maps stacks itself
 * (the flag given), or for code run unbundled (the local runtime, the tests), stacks are left as
 * they are. Mapping never throws: a stack that cannot be mapped is logged as it is.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapping } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A frame's place in a bundle: `file:///var/task/index.mjs:1:23456`. */
const BUNDLE_POSITION = /\b(file:\/\/\/[^\s()]+?\.mjs):(\d+):(\d+)\b/;
/** A frame with a function name: `    at [async ][new ]name (place)`. */
const NAMED_FRAME = /^(\s+at (?:async )?(?:new )?)([^\s(]+)( \(.*\))$/;

/** The map of each bundle met; null when it has none or it cannot be parsed. */
const maps = new Map<string, SourceMap | null>();

function mapOf(url: string): SourceMap | null {
  const known = maps.get(url);
  if (known !== undefined) return known;
  let map: SourceMap | null;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
  } catch (error) {
    // No map beside it (unbundled code) or not a map: for good. Any other failure to read it
    // (too many open files…): not now, try again with the next error.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EISDIR' && !(error instanceof SyntaxError) && !(error instanceof TypeError)) return null;
    map = null;
  }
  maps.set(url, map);
  return map;
}

/** A source's path from the repository root (`functions/…`, `node_modules/…`), as the map names it relative to itself. */
function sourcePath(source: string): string {
  const path = source.startsWith('file:///') ? fileURLToPath(source) : source;
  const root = path.search(/(^|\/)(functions|node_modules|layers|test)\//);
  return root < 0 ? path : path.slice(path[root] === '/' ? root + 1 : root);
}

interface MappedFrame {
  readonly url: string;
  readonly position: string;
  readonly entry: SourceMapping & { readonly name?: string };
}

function mappedFrame(line: string): MappedFrame | undefined {
  const found = BUNDLE_POSITION.exec(line);
  if (!found) return undefined;
  const [position, url, row, column] = found as unknown as [string, string, string, string];
  const entry = mapOf(url)?.findEntry(Number(row) - 1, Number(column) - 1);
  return entry && 'originalSource' in entry ? { url, position, entry } : undefined;
}

/** `stack` with each position in a bundle replaced by its position in the sources. */
export function mapStack(stack: string): string {
  const lines = stack.split('\n');
  const frames = lines.map(mappedFrame);
  return lines
    .map((line, i) => {
      const frame = frames[i];
      if (!frame) return line;
      const { originalSource, originalLine, originalColumn } = frame.entry;
      const mapped = line.replace(frame.position, `${sourcePath(originalSource)}:${originalLine + 1}:${originalColumn + 1}`);
      // The minified name of the function: the name at its call site, in the frame below.
      const caller = frames[i + 1];
      const name = caller?.url === frame.url ? caller.entry.name : undefined;
      return name ? mapped.replace(NAMED_FRAME, `$1${name}$3`) : mapped;
    })
    .join('\n');
}

/**
 * The error, its stack (and its causes', and an AggregateError's errors') read against the
 * bundle's source map, for logging: the same object, its `stack` replaced. Never throws: an
 * error whose stack cannot be replaced (frozen) is returned as it is.
 */
export function sourceMapped<E>(error: E): E {
  if (!process.sourceMapsEnabled) mapErrors(error, new Set());
  return error;
}

function mapErrors(error: unknown, seen: Set<Error>): void {
  if (!(error instanceof Error) || seen.has(error)) return;
  seen.add(error);
  try {
    if (typeof error.stack === 'string') {
      Object.defineProperty(error, 'stack', { value: mapStack(error.stack), writable: true, configurable: true, enumerable: false });
    }
  } catch {
    // A frozen error, or a map that does not answer: logged with its stack as it is.
  }
  mapErrors(error.cause, seen);
  if (error instanceof AggregateError && Array.isArray(error.errors)) for (const inner of error.errors) mapErrors(inner, seen);
}
