/**
 * What the reliability scenarios share: their size (reduced under `npm test`, full under
 * `npm run reliability`), a seeded random source, the figures each one prints and records (the
 * full run writes them to RELIABILITY.md), and the log capture R7 scans.
 *
 * Log capture: every line written to this worker's stdout/stderr (the Powertools logger writes
 * there), the local servers' request logs and the child processes' output go to files under
 * .local/reliability/logs/, emptied when the suite starts.
 */
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/local/apigw.ts';
import { table } from '../../scripts/bench/report.ts';

export const FULL = process.env.RELIABILITY_SIZE === 'full';
/** The same scenario at both sizes: `size(full, reduced)`. */
export const size = (full: number, reduced: number): number => (FULL ? full : reduced);

export const RELIABILITY_DIR = join(REPO_ROOT, '.local', 'reliability');
export const LOG_DIR = join(RELIABILITY_DIR, 'logs');

/** A small seeded PRNG (mulberry32): the same failures on every run of a seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

// ---- Figures ----------------------------------------------------------------------------------

export interface ScenarioFigures {
  readonly id: string;
  readonly title: string;
  /** What was run (sizes). */
  readonly size: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Sentences under the table (what was checked, what was found). */
  readonly notes: readonly string[];
  readonly seconds: number;
  /** Set once the scenario's checks all held. */
  passed?: boolean;
}

export const figures: ScenarioFigures[] = [];

/** A scenario as a test: its figures are marked passed when `run` returns (its expectations held). */
export const scenario = (id: string, run: () => Promise<void>) => async (): Promise<void> => {
  await run();
  const f = figures.find((x) => x.id === id);
  if (f) f.passed = true;
};

/** Records a scenario's figures and prints them (the test output shows them at both sizes). */
export function report(f: ScenarioFigures): void {
  figures.push(f);
  const text = [
    `\n${f.id} — ${f.title} (${FULL ? 'full' : 'reduced'} size: ${f.size}; ${f.seconds.toFixed(1)} s)`,
    table(f.head, f.rows),
    ...f.notes.map((n) => `  ${n}`),
  ].join('\n');
  console.log(text);
}

// ---- Log capture ------------------------------------------------------------------------------

let captureFile: string | undefined;

export function resetLogs(): void {
  rmSync(LOG_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });
}

/** Appends text to the named capture file (one per source: worker, server request log, child). */
export function captureLog(source: string, text: string): void {
  if (!text) return;
  appendFileSync(join(LOG_DIR, `${source.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`), text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * From now on, what this process writes to stdout/stderr directly (the Powertools logger, the SDK,
 * warnings) goes to the capture instead of the terminal. vitest's console (the figures) is not affected.
 */
export function captureProcessOutput(): void {
  if (captureFile) return;
  captureFile = `worker-${process.pid}`;
  for (const stream of [process.stdout, process.stderr]) {
    const name = stream === process.stdout ? 'stdout' : 'stderr';
    stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      captureLog(`${captureFile}-${name}`, typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = typeof encoding === 'function' ? encoding : callback;
      if (typeof cb === 'function') (cb as () => void)();
      return true;
    }) as typeof stream.write;
  }
}
