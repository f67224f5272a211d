/**
 * Bundles every function exactly as the CDK does (infra/constructs/bundling.ts through esbuild's JS
 * API), reads what each one uses from the metafile, and bundles its "floor": an entry importing only
 * the clients its entry in the route, job or consumer table grants it (the house's Powertools
 * utilities, DynamoDB for tables, S3 for documents, SES for mail, Secrets Manager for secrets, Stripe
 * for the Stripe secrets, EventBridge for the relay), built with the same options. The floor comes
 * from the grants, not from the bundle's imports, so a function importing a client it does not need
 * cannot raise its own floor and hide the waste.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { esbuildOptionsFor, repoRoot } from '../../infra/constructs/bundling.ts';
import { consumers, relay } from '../../functions/consumers.ts';
import type { GrantSource } from '../../functions/grants.ts';
import { jobs } from '../../functions/jobs.ts';
import { routes } from '../../functions/routes.ts';

export const benchDir = path.join(repoRoot, '.bench');

export interface FunctionEntry {
  readonly fn: string;
  /** Handler module relative to the repository root. */
  readonly handler: string;
  readonly kind: 'route' | 'job' | 'consumer' | 'relay';
  /** Its entry in the function tables: what it is granted. */
  readonly def: GrantSource;
}

/** Every function: every route, every job, every event consumer, then the relay. */
export function allFunctions(): FunctionEntry[] {
  return [
    ...routes.map((r) => ({ fn: r.fn, handler: r.handler, kind: 'route' as const, def: r })),
    ...jobs.map((j) => ({ fn: j.fn, handler: j.handler, kind: 'job' as const, def: j as GrantSource })),
    ...consumers.map((c) => ({ fn: c.fn, handler: c.handler, kind: 'consumer' as const, def: c as GrantSource })),
    { fn: relay.fn, handler: relay.handler, kind: 'relay' as const, def: { fn: relay.fn, tables: {} } },
  ];
}

/** The house's observability on every function (functions/shared/observability.ts and its middlewares). */
const OBSERVABILITY = [
  '@aws-lambda-powertools/logger',
  '@aws-lambda-powertools/logger/middleware',
  '@aws-lambda-powertools/metrics',
  '@aws-lambda-powertools/metrics/middleware',
  '@aws-lambda-powertools/tracer',
  '@aws-lambda-powertools/tracer/middleware',
] as const;

/** What a function's floor holds: the clients of what its table entry grants, nothing else. */
export function grantedModules(fn: Pick<FunctionEntry, 'def' | 'kind'>): { sdk: string[]; powertools: string[]; packages: string[] } {
  const { def } = fn;
  const sdk = new Set<string>();
  const powertools = new Set<string>(OBSERVABILITY);
  const packages = new Set<string>();
  const tables = Object.keys(def.tables);
  if (tables.length) sdk.add('@aws-sdk/client-dynamodb').add('@aws-sdk/lib-dynamodb');
  if (tables.includes('idempotency'))
    powertools.add('@aws-lambda-powertools/idempotency').add('@aws-lambda-powertools/idempotency/dynamodb');
  if (def.documents) sdk.add('@aws-sdk/client-s3').add('@aws-sdk/s3-request-presigner');
  if (def.mail) sdk.add('@aws-sdk/client-sesv2');
  if (def.secrets?.length) sdk.add('@aws-sdk/client-secrets-manager');
  if (def.secrets?.some((key) => key.startsWith('stripe'))) packages.add('stripe');
  if (fn.kind === 'relay') sdk.add('@aws-sdk/client-eventbridge').add('@aws-sdk/util-dynamodb');
  return { sdk: [...sdk].sort(), powertools: [...powertools].sort(), packages: [...packages].sort() };
}

/** A payroll function: its handler lives in functions/payroll/. */
export const isPayroll = (fn: FunctionEntry): boolean => fn.handler.startsWith('functions/payroll/');

/** The packages that make the payroll engine (modele-social and its rules engine). */
export const payrollEnginePackages = ['modele-social', 'publicodes'] as const;

/** The functions whose bundle holds modele-social; none of them may be a non-payroll function. */
export function modeleSocialCheck(bundles: readonly FunctionBundle[]): { holders: FunctionBundle[]; outsidePayroll: FunctionBundle[] } {
  const holders = bundles.filter((b) => b.byPackage.has('modele-social'));
  return { holders, outsidePayroll: holders.filter((b) => !isPayroll(b.fn)) };
}

export interface BundleStats {
  /** The .mjs file (what Node imports). */
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Bytes in the output per package (`zod`, `@aws-lambda-powertools/logger`) or first-party folder. */
  readonly byPackage: ReadonlyMap<string, number>;
}

export interface FunctionBundle extends BundleStats {
  readonly fn: FunctionEntry;
  /** `@aws-sdk/*` modules the bundle imports at run time (external). */
  readonly sdk: readonly string[];
  /** `@aws-lambda-powertools/*` specifiers the function's own code imports (bundled). */
  readonly powertools: readonly string[];
  readonly floorId: string;
}

export interface FloorBundle extends BundleStats {
  readonly id: string;
  readonly sdk: readonly string[];
  readonly powertools: readonly string[];
  /** Other clients its grants imply (`stripe` for the Stripe secrets). */
  readonly packages: readonly string[];
  /** The generated entry (kept under .bench/ for inspection). */
  readonly entry: string;
  readonly usedBy: string[];
}

const isSdk = (specifier: string) => specifier.startsWith('@aws-sdk/');
const isPowertools = (specifier: string) => specifier.startsWith('@aws-lambda-powertools/');

/** `node_modules/@scope/name/...` → `@scope/name`; first-party files → their top folders. */
export function packageOf(input: string): string {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0) {
    const first = parts[at + 1] ?? input;
    return first.startsWith('@') ? `${first}/${parts[at + 2] ?? ''}` : first;
  }
  return parts.length > 2 ? parts.slice(0, 2).join('/') : input;
}

function mainOutput(metafile: Metafile): { file: string; output: Metafile['outputs'][string] } {
  const found = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs'));
  if (!found) throw new Error('esbuild produced no .mjs output');
  return { file: found[0], output: found[1] };
}

async function bundle(entry: string, outfile: string): Promise<{ stats: BundleStats; metafile: Metafile }> {
  const result = await build({ ...esbuildOptionsFor(entry, outfile), metafile: true });
  if (result.errors.length) throw new Error(`esbuild failed for ${entry}`);
  const { file, output } = mainOutput(result.metafile);
  const absolute = path.resolve(repoRoot, file);
  const content = readFileSync(absolute);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = packageOf(input);
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  return {
    stats: { file: absolute, bytes: content.byteLength, gzipBytes: gzipSync(content).byteLength, byPackage },
    metafile: result.metafile,
  };
}

/** What a function uses, read from its metafile. */
function usedModules(metafile: Metafile): { sdk: string[]; powertools: string[] } {
  const { output } = mainOutput(metafile);
  const sdk = new Set(output.imports.filter((i) => i.external && isSdk(i.path)).map((i) => i.path));
  const powertools = new Set<string>();
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    if (input.includes('node_modules/')) continue;
    for (const i of imports) {
      const specifier = i.original ?? i.path;
      if (isPowertools(specifier)) powertools.add(specifier);
      // First-party SDK imports are external too; they are in the output imports already.
      if (isSdk(specifier)) sdk.add(specifier);
    }
  }
  return { sdk: [...sdk].sort(), powertools: [...powertools].sort() };
}

/**
 * The floor entry: the same module-scope work as functions/shared/observability.ts and
 * functions/shared/dynamo.ts, limited to the modules the function uses, and nothing else.
 */
export function floorSource(sdk: readonly string[], powertools: readonly string[], packages: readonly string[] = []): string {
  const lines: string[] = ['// Generated by scripts/bench: the floor of a function (AWS SDK + Powertools only).'];
  const exported: string[] = [];
  const body: string[] = ["const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'oui-ensemble';"];
  const has = (s: string) => powertools.includes(s);
  const needLogger = has('@aws-lambda-powertools/logger') || has('@aws-lambda-powertools/logger/middleware');
  const needMetrics = has('@aws-lambda-powertools/metrics') || has('@aws-lambda-powertools/metrics/middleware');
  const needTracer = has('@aws-lambda-powertools/tracer') || has('@aws-lambda-powertools/tracer/middleware');
  if (needLogger) {
    lines.push("import { Logger } from '@aws-lambda-powertools/logger';");
    body.push('export const logger = new Logger({ serviceName });');
  }
  if (needMetrics) {
    lines.push("import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';");
    body.push(
      "export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'OuiEnsemble' });",
      'export const countUnit = MetricUnit.Count;',
    );
  }
  if (needTracer) {
    lines.push("import { Tracer } from '@aws-lambda-powertools/tracer';");
    body.push('export const tracer = new Tracer({ serviceName });');
  }
  const middlewares: string[] = [];
  if (has('@aws-lambda-powertools/tracer/middleware')) {
    lines.push("import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';");
    middlewares.push('captureLambdaHandler(tracer, { captureResponse: false })');
  }
  if (has('@aws-lambda-powertools/logger/middleware')) {
    lines.push("import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';");
    middlewares.push('injectLambdaContext(logger, { resetKeys: true })');
  }
  if (has('@aws-lambda-powertools/metrics/middleware')) {
    lines.push("import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';");
    middlewares.push('logMetrics(metrics)');
  }
  if (middlewares.length) body.push(`export const middlewares = [${middlewares.join(', ')}];`);
  const known = new Set<string>([...OBSERVABILITY, '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']);
  // Any other utility or client: the whole module (an over-estimate of the floor, never an under one).
  [...powertools, ...sdk, ...packages]
    .filter((s) => !known.has(s))
    .forEach((s, i) => {
      lines.push(`import * as other${i} from '${s}';`);
      exported.push(`other${i}`);
    });
  const ddb = sdk.includes('@aws-sdk/client-dynamodb');
  const doc = sdk.includes('@aws-sdk/lib-dynamodb');
  if (ddb) lines.push("import { DynamoDBClient } from '@aws-sdk/client-dynamodb';");
  if (doc) lines.push("import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';");
  if (ddb && doc) {
    // As functions/shared/dynamo.ts: created on first use, not at import.
    body.push(
      'let client;',
      'export function documentClient() {',
      '  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } });',
      '  return client;',
      '}',
    );
  } else if (ddb) {
    body.push('let client;', 'export function dynamoClient() { client ??= new DynamoDBClient({}); return client; }');
  } else if (doc) {
    lines.push("import * as docOnly from '@aws-sdk/lib-dynamodb';");
    exported.push('docOnly');
  }
  if (exported.length) body.push(`export { ${exported.join(', ')} };`);
  body.push("export const handler = async () => ({ statusCode: 200, body: 'floor' });");
  return [...lines, ...body, ''].join('\n');
}

export interface BuildResult {
  readonly functions: FunctionBundle[];
  readonly floors: FloorBundle[];
}

/** Builds every function, then one floor per distinct set of used modules. */
export async function buildAll(functions: readonly FunctionEntry[]): Promise<BuildResult> {
  rmSync(path.join(benchDir, 'functions'), { recursive: true, force: true });
  rmSync(path.join(benchDir, 'floors'), { recursive: true, force: true });
  const built = await Promise.all(
    functions.map(async (fn) => {
      const { stats, metafile } = await bundle(fn.handler, path.join(benchDir, 'functions', fn.fn, 'index.mjs'));
      return { fn, stats, ...usedModules(metafile) };
    }),
  );
  const floorsById = new Map<string, { sdk: string[]; powertools: string[]; packages: string[]; usedBy: string[] }>();
  const floorIdOf = (fn: FunctionEntry) => {
    const { sdk, powertools, packages } = grantedModules(fn);
    return (
      'floor-' +
      createHash('sha256')
        .update(JSON.stringify([sdk, powertools, packages]))
        .digest('hex')
        .slice(0, 8)
    );
  };
  for (const b of built) {
    const id = floorIdOf(b.fn);
    const floor = floorsById.get(id) ?? { ...grantedModules(b.fn), usedBy: [] };
    floor.usedBy.push(b.fn.fn);
    floorsById.set(id, floor);
  }
  const floors = await Promise.all(
    [...floorsById].map(async ([id, f]) => {
      const dir = path.join(benchDir, 'floors', id);
      mkdirSync(dir, { recursive: true });
      const entry = path.join(dir, 'entry.mjs');
      writeFileSync(entry, floorSource(f.sdk, f.powertools, f.packages));
      const { stats } = await bundle(entry, path.join(dir, 'index.mjs'));
      return { id, ...f, entry, ...stats } satisfies FloorBundle;
    }),
  );
  return {
    functions: built.map((b) => ({ fn: b.fn, sdk: b.sdk, powertools: b.powertools, floorId: floorIdOf(b.fn), ...b.stats })),
    floors,
  };
}

/** The biggest contributors of a function that its floor does not hold (package → bytes). */
export function aboveFloor(fn: BundleStats, floor: BundleStats, top = 3): [string, number][] {
  return [...fn.byPackage]
    .filter(([pkg]) => !floor.byPackage.has(pkg))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
}
