/**
 * Cold import: a fresh `node` process (this very Node 24 binary) imports one bundle and reports how
 * long the `import()` took, measured inside the child so that process start-up is not counted.
 */
import { spawnSync } from 'node:child_process';

/** Runs in the child: the bundle path is its first argument. */
const CHILD = [
  "import { pathToFileURL } from 'node:url';",
  'const url = pathToFileURL(process.argv[1]).href;',
  'const t = performance.now();',
  'const mod = await import(url);',
  'const ms = performance.now() - t;',
  "if (typeof mod.handler !== 'function') throw new Error('no handler export');",
  'process.stdout.write(JSON.stringify({ ms }));',
].join('\n');

/**
 * The environment of the children: what module scope needs (region, table name) and the Powertools
 * settings of a quiet run; no NODE_OPTIONS, as the house construct sets none on Lambda. Nothing
 * else is inherited but PATH, so the parent's environment cannot change the numbers.
 *
 * AWS_XRAY_MANUAL_MODE is set, empty: outside Lambda functions/shared/xray-mode.ts would start the
 * X-Ray SDK in manual mode (no process-wide async hook), while in Lambda, where the SDK is in
 * automatic mode, every function pays for loading it so. An explicit empty value is kept by
 * xray-mode.ts and read as "automatic" by the SDK, so functions and floors load it as in Lambda.
 */
export function childEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_REGION: 'eu-west-3',
    TABLE_DIRECTORY: 'bench',
    POWERTOOLS_SERVICE_NAME: 'oui-ensemble',
    POWERTOOLS_METRICS_NAMESPACE: 'OuiEnsemble',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    TZ: 'UTC',
    AWS_XRAY_MANUAL_MODE: '',
  };
}

/** One cold import of `bundle` in a new process; milliseconds spent in `import()`. */
export function coldImportOnce(bundle: string, env: NodeJS.ProcessEnv = childEnv()): number {
  const child = spawnSync(process.execPath, ['--input-type=module', '--eval', CHILD, bundle], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`cold import of ${bundle} failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  const { ms } = JSON.parse(child.stdout) as { ms: number };
  return ms;
}

export const median = (values: readonly number[]): number => {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * `runs` rounds; each round imports every bundle once, in an order rotated by one each round, so
 * that a function and its floor run close together and drift (thermal, page cache, neighbours)
 * spreads over all bundles alike. Returns the samples of each bundle.
 */
export function coldImportRounds(bundles: readonly string[], runs: number, onRound?: (round: number) => void): Map<string, number[]> {
  const samples = new Map<string, number[]>(bundles.map((b) => [b, []]));
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < bundles.length; i++) {
      const bundle = bundles[(i + round) % bundles.length]!;
      samples.get(bundle)!.push(coldImportOnce(bundle));
    }
    onRound?.(round + 1);
  }
  return samples;
}
