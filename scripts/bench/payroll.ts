/**
 * Payroll: the modele-social engine and the monthly job.
 *
 * - **Engine, first of a process**: a fresh Node process per sample imports functions/payroll/engine.ts,
 *   builds the Engine (`warmPayrollEngine()`), then computes ONE payslip of one case (what the first
 *   request of a new container pays, split in two).
 * - **Engine, warm**: one process builds the Engine, then computes each case `runs` times (after two
 *   warm-up computations), interleaved; median, min, max.
 * - **Monthly job**: a bench-only in-memory DynamoDB Local with its own tables; the demo data, then
 *   entrepreneurs created and activated through the onboarding use cases up to `entrepreneurs` active
 *   ones, each with turnover recorded through the payroll door; then the real PrepareSalaryDrafts handler on a scheduled event of the first working day, twice (the re-run is a
 *   no-op). The DynamoDB capacity is read from the answers: a middleware on the shared client of the
 *   process (functions/shared/dynamo.ts) asks every call for `ReturnConsumedCapacity: 'TOTAL'` and sums
 *   what comes back, reads and writes apart. Then payslips issued end to end (`issuePayslip`: compute,
 *   PDF, transaction) on the drafts the job made.
 *
 * Each part runs in its own child process (`measurePayrollInChild`): the engine's memory and the
 * handlers' DynamoDB client (a module singleton) stay out of the bench process.
 *
 * Alone: `node scripts/bench/payroll.ts` (Node 24) prints the tables.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PayslipRequest } from '../../functions/payroll/engine.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { useLocalPdfAssets } from '../../infra/local/grants.ts';
import { applyLocalEnv, ensureTables } from '../../infra/local/tables.ts';
import { printChildResult, runInChild } from './child.ts';
import { median } from './cold-import.ts';
import { ms, table } from './report.ts';

/** The four cases: from a gross or from a budget (inversion), full time and part time. */
export const engineCases = {
  'gross, full time': { period: '2026-11', salary: { grossMonthlyCents: 250_000 }, hoursPerMonth: 151.67 },
  'gross, part time (24 h/week)': { period: '2026-11', salary: { grossMonthlyCents: 150_000 }, hoursPerMonth: 104 },
  'budget, full time': { period: '2026-11', salary: { maxEmployerCostCents: 350_000 }, hoursPerMonth: 151.67 },
  'budget, part time (24 h/week)': { period: '2026-11', salary: { maxEmployerCostCents: 200_000 }, hoursPerMonth: 104 },
} as const satisfies Record<string, PayslipRequest>;
export type EngineCase = keyof typeof engineCases;
const caseNames = Object.keys(engineCases) as EngineCase[];

export interface Times {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}
const timesOf = (samples: readonly number[]): Times => ({
  median: median(samples),
  min: samples.length ? Math.min(...samples) : Number.NaN,
  max: samples.length ? Math.max(...samples) : Number.NaN,
  samples: samples.length,
});

export interface FirstSample {
  readonly importMs: number;
  readonly buildMs: number;
  readonly firstMs: number;
  readonly grossCents: number;
}

export interface Capacity {
  readonly read: number;
  readonly write: number;
  /** Calls per command name. */
  readonly calls: Readonly<Record<string, number>>;
  /** Calls whose answer carried no ConsumedCapacity. */
  readonly unreported: number;
}

export interface JobRun {
  readonly ms: number;
  readonly created: number;
  readonly kept: number;
  readonly capacity: Capacity;
}

export interface PayrollResult {
  readonly engine: {
    readonly firstRuns: number;
    readonly warmRuns: number;
    readonly importMs: Times;
    readonly buildMs: Times;
    readonly first: Record<EngineCase, Times>;
    readonly warm: Record<EngineCase, Times>;
    readonly grossCents: Record<EngineCase, number>;
  };
  readonly job: {
    readonly entrepreneurs: number;
    /** Active entrepreneurs the job went through (drafts created + kept; the demo ones included). */
    readonly accounts: number;
    readonly seedMs: number;
    readonly seedCapacity: Capacity;
    readonly period: string;
    readonly first: JobRun;
    readonly rerun: JobRun;
  };
  readonly issue: {
    /** The first payslip issued in the process (the Engine built on the way, fonts parsed). */
    readonly firstMs: number;
    readonly warm: Times;
    readonly capacityPerIssue: { read: number; write: number };
  };
}

// ---- Engine --------------------------------------------------------------------------------------

async function engineFirst(name: EngineCase): Promise<FirstSample> {
  let t = performance.now();
  const engine = await import('../../functions/payroll/engine.ts');
  const importMs = performance.now() - t;
  t = performance.now();
  await engine.warmPayrollEngine();
  const buildMs = performance.now() - t;
  t = performance.now();
  const computed = await engine.computePayslip(engineCases[name]);
  return { importMs, buildMs, firstMs: performance.now() - t, grossCents: computed.grossCents };
}

async function engineWarm(runs: number): Promise<Record<EngineCase, number[]>> {
  const { computePayslip, warmPayrollEngine } = await import('../../functions/payroll/engine.ts');
  await warmPayrollEngine();
  for (let i = 0; i < 2; i++) for (const name of caseNames) await computePayslip(engineCases[name]);
  const samples = Object.fromEntries(caseNames.map((n) => [n, [] as number[]])) as Record<EngineCase, number[]>;
  for (let i = 0; i < runs; i++) {
    for (const name of caseNames) {
      const t = performance.now();
      await computePayslip(engineCases[name]);
      samples[name].push(performance.now() - t);
    }
  }
  return samples;
}

// ---- DynamoDB capacity ---------------------------------------------------------------------------

interface ConsumedCapacityLike {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}
const readCommand = /^(Get|BatchGet|TransactGet|Query|Scan)/;

/** Sums the capacity of every call of the shared client; `take()` answers the sums since the last take. */
async function capacityMeter(): Promise<{ take: () => Capacity }> {
  const { dynamoClient } = await import('../../functions/shared/dynamo.ts');
  let read = 0;
  let write = 0;
  let unreported = 0;
  let calls: Record<string, number> = {};
  dynamoClient().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      calls[command] = (calls[command] ?? 0) + 1;
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacityLike | ConsumedCapacityLike[] }).ConsumedCapacity;
      if (!consumed) unreported++;
      for (const c of consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed]) {
        if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
          read += c.ReadCapacityUnits ?? 0;
          write += c.WriteCapacityUnits ?? 0;
        } else if (readCommand.test(command)) read += c.CapacityUnits ?? 0;
        else write += c.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'serialize', priority: 'high', name: 'benchConsumedCapacity' },
  );
  return {
    take: () => {
      const taken = { read, write, calls, unreported };
      read = 0;
      write = 0;
      unreported = 0;
      calls = {};
      return taken;
    },
  };
}

// ---- Monthly job and payslip issue ---------------------------------------------------------------

async function jobAndIssue(entrepreneurs: number, issues: number, log: (line: string) => void) {
  let ddb: DynamoDbLocal | undefined;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oui-bench-payroll-'));
  try {
    const seedStarted = performance.now();
    ddb = await startDynamoDbLocal();
    log(`  DynamoDB Local (in memory) on ${ddb.endpoint}, pid ${ddb.pid}`);
    const tableEnv = await ensureTables(ddb.endpoint, { prefix: `bench-payroll-${process.pid}-` });
    applyLocalEnv(ddb.endpoint, tableEnv);
    // Powertools silent and metrics off: set in this child's environment by runInChild (./child.ts).
    useLocalPdfAssets();

    const meter = await capacityMeter();
    const { adapters, useAdapters } = await import('../../functions/shared/adapters.ts');
    const { localAdapters } = await import('../../infra/local/adapters.ts');
    const { seedDemo } = await import('../../infra/local/seed.ts');
    const { demoEntrepreneurs } = await import('../../infra/local/demo-data.ts');
    const directory = await import('../../functions/onboarding/service.ts');
    const { CreateEntrepreneurBody } = await import('../../functions/onboarding/schemas.ts');
    const { recordTurnover } = await import('../../functions/payroll/index.ts');
    const { handler: prepareJob } = await import('../../functions/payroll/handlers/prepare-salary-drafts.ts');
    const { issuePayslip } = await import('../../functions/payroll/payslips.ts');
    const { buildScheduledEvent } = await import('../../infra/local/scheduler.ts');

    useAdapters(
      localAdapters({ dataDir, publicBaseUrl: 'http://127.0.0.1:9', env: { LINK_SIGNING_KEY: 'bench-link-key-0123456789abcdef' } }),
    );
    const seededOn = new Date('2026-11-25T10:00:00Z');
    const period = '2026-11';
    const seeded = await seedDemo(seededOn);
    if (!seeded.created) throw new Error(`seed did not run on fresh tables (${seeded.reason})`);

    // The job goes through every active entrepreneur: the demo ones (all active) count among them.
    const demoActive = demoEntrepreneurs.length;
    const toSeed = Math.max(0, entrepreneurs - demoActive);
    // The others: the demo profiles as templates, spread over the demo territories.
    const operator: Principal = { sub: 'bench-operator', role: 'operator' };
    const ids: { id: string; etd: string }[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < toSeed; i = next++) {
        const { publicProfile: _profile, ...template } = demoEntrepreneurs[i % demoEntrepreneurs.length]!;
        const body = CreateEntrepreneurBody().parse({ ...template, email: `bench.${i}@example.org` });
        const e = await directory.createEntrepreneur(operator, body, seededOn);
        for (const to of ['validated', 'active'] as const) await directory.transitionEntrepreneur(operator, e.id, { to }, seededOn);
        // 2 000 € to 6 000 € HT of turnover this month: the account exists and can fund a salary.
        await recordTurnover(
          { sourceId: `bench:${i}`, entrepreneurId: e.id, period, netCents: 200_000 + ((i * 7919) % 400_000) },
          seededOn,
        );
        ids.push({ id: e.id, etd: e.etd });
        if ((i + 1) % 250 === 0) log(`  ${i + 1}/${toSeed} entrepreneurs seeded`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const seedMs = performance.now() - seedStarted;
    const seedCapacity = meter.take();
    log(`  ${toSeed} entrepreneurs seeded (and ${demoActive} active in the demo data) in ${(seedMs / 1000).toFixed(1)} s`);

    // 1 December 2026 (a Tuesday) is the first working day: drafts of November.
    const event = buildScheduledEvent({ fn: 'PrepareSalaryDrafts' }, new Date('2026-12-01T06:00:00Z'));
    const runJob = async (): Promise<JobRun> => {
      const t = performance.now();
      const result = (await prepareJob(event as never, {} as never)) as { period: string; created: number; kept: number };
      const run = { ms: performance.now() - t, created: result.created, kept: result.kept, capacity: meter.take() };
      if (result.period !== period) throw new Error(`the job prepared ${result.period}, not ${period}`);
      log(`  job: ${run.created} created, ${run.kept} kept in ${(run.ms / 1000).toFixed(2)} s`);
      return run;
    };
    const first = await runJob();
    const rerun = await runJob();
    if (rerun.created !== 0) throw new Error(`the re-run created ${rerun.created} drafts`);

    // Payslips issued end to end on the job's drafts (maximum the account allows: the inversion).
    const issueTimes: number[] = [];
    let firstMs = Number.NaN;
    const issuedAt = new Date('2026-12-02T09:00:00Z');
    meter.take();
    for (let i = 0; i <= issues; i++) {
      const { id, etd } = ids[i]!;
      const manager: Principal = { sub: 'bench-manager', role: 'manager', etd };
      const t = performance.now();
      await issuePayslip(adapters(), manager, id, period, issuedAt);
      const elapsed = performance.now() - t;
      if (i === 0) firstMs = elapsed;
      else issueTimes.push(elapsed);
    }
    const issueCapacity = meter.take();
    return {
      job: { entrepreneurs, accounts: first.created + first.kept, seedMs, seedCapacity, period, first, rerun },
      issue: {
        firstMs,
        warm: timesOf(issueTimes),
        capacityPerIssue: { read: issueCapacity.read / (issues + 1), write: issueCapacity.write / (issues + 1) },
      },
    };
  } finally {
    try {
      await ddb?.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}

// ---- Children ------------------------------------------------------------------------------------

/** Runs this file in a fresh Node process with `args`; its stderr lines go to `log`. */
const child = <T>(args: readonly string[], log: (line: string) => void): Promise<T> => runInChild<T>(import.meta.url, args, log);

export interface PayrollOptions {
  /** Fresh processes per case for the "first" figures. */
  readonly firstRuns: number;
  /** Warm computations per case. */
  readonly warmRuns: number;
  readonly entrepreneurs: number;
  /** Payslips issued after the first one. */
  readonly issues: number;
  readonly log: (line: string) => void;
}

export async function measurePayroll(options: PayrollOptions): Promise<PayrollResult> {
  const { firstRuns, warmRuns, entrepreneurs, issues, log } = options;
  log(`  engine, first of a process: ${firstRuns} fresh processes × ${caseNames.length} cases…`);
  const firsts = Object.fromEntries(caseNames.map((n) => [n, [] as FirstSample[]])) as Record<EngineCase, FirstSample[]>;
  for (let run = 0; run < firstRuns; run++) {
    for (const name of caseNames) firsts[name].push(await child<FirstSample>(['--first', name], log));
  }
  log(`  engine, warm: ${warmRuns} computations × ${caseNames.length} cases in one process…`);
  const warm = await child<Record<EngineCase, number[]>>(['--warm', String(warmRuns)], log);
  log(`  monthly job for ${entrepreneurs} entrepreneurs, then ${issues + 1} payslips issued…`);
  const { job, issue } = await child<Pick<PayrollResult, 'job' | 'issue'>>(['--job', String(entrepreneurs), String(issues)], log);
  const all = caseNames.flatMap((n) => firsts[n]);
  const byCase = <T>(f: (n: EngineCase) => T) => Object.fromEntries(caseNames.map((n) => [n, f(n)])) as Record<EngineCase, T>;
  return {
    engine: {
      firstRuns,
      warmRuns,
      importMs: timesOf(all.map((s) => s.importMs)),
      buildMs: timesOf(all.map((s) => s.buildMs)),
      first: byCase((n) => timesOf(firsts[n].map((s) => s.firstMs))),
      warm: byCase((n) => timesOf(warm[n])),
      grossCents: byCase((n) => firsts[n][0]?.grossCents ?? Number.NaN),
    },
    job,
    issue,
  };
}

// ---- Report --------------------------------------------------------------------------------------

const span = (t: Times) => `${ms(t.min)}–${ms(t.max)}`;
const euros = (cents: number) => (cents / 100).toFixed(2);
const units = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

export function engineTable(r: PayrollResult): string {
  const e = r.engine;
  return table(
    ['measure', 'ms median', 'min–max', 'samples', 'gross €'],
    [
      [
        'import of `functions/payroll/engine.ts` (modele-social loaded on first use, not here)',
        ms(e.importMs.median),
        span(e.importMs),
        `${e.importMs.samples}`,
        '',
      ],
      [
        'Engine construction (`warmPayrollEngine()`, first of a process)',
        ms(e.buildMs.median),
        span(e.buildMs),
        `${e.buildMs.samples}`,
        '',
      ],
      ...caseNames.map((n) => [
        `one payslip, ${n}: first of a process`,
        ms(e.first[n].median),
        span(e.first[n]),
        `${e.first[n].samples}`,
        euros(e.grossCents[n]),
      ]),
      ...caseNames.map((n) => [
        `one payslip, ${n}: warm`,
        ms(e.warm[n].median),
        span(e.warm[n]),
        `${e.warm[n].samples}`,
        euros(e.grossCents[n]),
      ]),
    ],
    ['l', 'r', 'r', 'r', 'r'],
  );
}

export function jobTable(r: PayrollResult): string {
  const j = r.job;
  const row = (name: string, run: JobRun) => [
    name,
    (run.ms / 1000).toFixed(2),
    `${run.created}`,
    `${run.kept}`,
    units(run.capacity.read),
    units(run.capacity.write),
    Object.entries(run.capacity.calls)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(', '),
  ];
  return table(
    ['run', 's', 'drafts created', 'kept', 'RCU', 'WCU', 'DynamoDB calls'],
    [row('first run (1 December 2026, drafts of November)', j.first), row('re-run (no-op)', j.rerun)],
    ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
}

export function issueTable(r: PayrollResult): string {
  const i = r.issue;
  return table(
    ['payslip issued end to end (`issuePayslip`)', 'ms median', 'min–max', 'samples', 'RCU / issue', 'WCU / issue'],
    [
      ['first of the process (Engine built, fonts parsed)', ms(i.firstMs), '', '1', '', ''],
      ['warm', ms(i.warm.median), span(i.warm), `${i.warm.samples}`, units(i.capacityPerIssue.read), units(i.capacityPerIssue.write)],
    ],
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
}

if (import.meta.main) {
  const log = (l: string) => process.stderr.write(l + '\n');
  const [mode, a, b] = process.argv.slice(2);
  if (mode === '--first') {
    printChildResult(await engineFirst(a as EngineCase));
  } else if (mode === '--warm') {
    printChildResult(await engineWarm(Number(a)));
  } else if (mode === '--job') {
    printChildResult(await jobAndIssue(Number(a), Number(b), log));
    process.exit(0);
  } else {
    const result = await measurePayroll({ firstRuns: 3, warmRuns: 7, entrepreneurs: 1335, issues: 5, log });
    console.log(engineTable(result));
    console.log(jobTable(result));
    console.log(issueTable(result));
  }
}
