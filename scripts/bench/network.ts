/**
 * Network (redevance and cost per territory), in a child process on a bench-only in-memory DynamoDB Local:
 *
 * - **Redevance of one territory-month over 10 000 and 100 000 invoices**: the facts of October 2026
 *   written in bulk (BatchWriteItem, the items `RecordRedevanceFacts` writes, half CAE SAMAD, half CAE
 *   MSG), a rate version, then `issueStatement` (the use case the job and the route run: one strongly
 *   consistent Query pass over the month's facts, the late facts since the previous statement, the
 *   content and its hash, the PDF, one transaction, the e-mail) under the invocation meter of
 *   functions/shared/metering.ts, which reads DynamoDB's `ConsumedCapacity`. The minimum is the read
 *   units of one strongly consistent pass over the facts: Σ item bytes / 4 KB (DynamoDB's item size:
 *   attribute names + values). Time: the use case's wall time; the ratio 100 k ÷ 10 k.
 * - **AWS cost per entrepreneur-month at the plan's year-10 scale** (21 territories, 1 335
 *   entrepreneurs, 62,6 M€ HT a year): the business operations of an entrepreneur-month run through
 *   the use cases under the meter (the demo profiles: invoices created and issued with their PDF and
 *   e-mail, paid (the Stripe webhook's recording), the two sales events consumed by CreditTurnover and
 *   RecordRedevanceFacts, the salary, the payslip (modele-social, PDF, e-mail), the dashboard and the
 *   account read), their invocations and capacity × the price table (functions/network/prices.ts), at
 *   the stack's 512 MB, plus the shared costs of a month (scheduled jobs, relay, custom metric series),
 *   divided by the entrepreneurs.
 *
 * Alone: `node scripts/bench/network.ts` (Node 24) prints the tables.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MeterLine } from '../../functions/shared/metering.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { useLocalPdfAssets } from '../../infra/local/grants.ts';
import { applyLocalEnv, ensureTables } from '../../infra/local/tables.ts';
import { printChildResult, runInChild } from './child.ts';
import { ms, table } from './report.ts';

export interface StatementRun {
  readonly invoices: number;
  readonly writeMs: number;
  readonly ms: number;
  /** The month's Query pass alone (DynamoDB Local). */
  readonly queryMs: number;
  /** The pure computation (`computeStatement`) on the facts. */
  readonly computeMs: number;
  readonly rcu: number;
  readonly wcu: number;
  readonly minimumRcu: number;
  readonly itemBytes: number;
  readonly redevanceCents: number;
}

export interface OperationRow {
  readonly operation: string;
  readonly perMonth: number;
  readonly invocations: number;
  readonly durationMs: number;
  readonly rcu: number;
  readonly wcu: number;
  readonly s3Requests: number;
  readonly emails: number;
}

export interface NetworkResult {
  readonly statements: readonly StatementRun[];
  readonly operations: readonly OperationRow[];
  readonly perEntrepreneurMonth: {
    readonly byService: Record<string, number>;
    readonly operationsEuros: number;
    readonly sharedEuros: number;
    readonly totalEuros: number;
  };
  readonly scale: { readonly territories: number; readonly entrepreneurs: number; readonly invoicesPerMonth: number };
  readonly pricesVerified: boolean;
}

/** DynamoDB's size of an item: attribute names and values (strings UTF-8, numbers about 1 byte per 2 digits + 1). */
export function itemBytes(item: Record<string, unknown>): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) {
    n += Buffer.byteLength(k);
    if (typeof v === 'string') n += Buffer.byteLength(v);
    else if (typeof v === 'number') n += Math.ceil(String(Math.abs(v)).replace('.', '').length / 2) + 1;
    else if (typeof v === 'boolean') n += 1;
  }
  return n;
}

/** Year-10 plan: 21 territories, 1 335 entrepreneurs, 62,6 M€ HT a year. */
const YEAR10 = { territories: 21, entrepreneurs: 1_335, turnoverCents: 6_260_000_000 };
/** Invoices an entrepreneur issues a month (assumption: 62,6 M€ / 1 335 / 12 ≈ 3 900 € HT, about 5 clients billed monthly). */
const INVOICES_PER_MONTH = 5;

async function run(sizes: readonly number[], log: (line: string) => void): Promise<NetworkResult> {
  let ddb: DynamoDbLocal | undefined;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oui-bench-network-'));
  try {
    ddb = await startDynamoDbLocal();
    log(`  DynamoDB Local (in memory) on ${ddb.endpoint}, pid ${ddb.pid}`);
    const tableEnv = await ensureTables(ddb.endpoint, { prefix: `bench-network-${process.pid}-` });
    applyLocalEnv(ddb.endpoint, tableEnv);
    // Powertools silent and metrics off: set in this child's environment by runInChild (./child.ts).
    useLocalPdfAssets();
    const { adapters, useAdapters } = await import('../../functions/shared/adapters.ts');
    const { metered, useMeterSink } = await import('../../functions/shared/metering.ts');
    const { localAdapters } = await import('../../infra/local/adapters.ts');
    const { seedDemo } = await import('../../infra/local/seed.ts');
    const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { documentClient, tableName } = await import('../../functions/shared/dynamo.ts');
    const { factItem } = await import('../../functions/network/store.ts');
    const { setRate } = await import('../../functions/network/rates.ts');
    const { RateVersionBody } = await import('../../functions/network/schemas.ts');
    const { issueStatement } = await import('../../functions/network/statement-issue.ts');
    const { pricesOn } = await import('../../functions/network/prices.ts');
    const { quantitiesByEtd, microEuros } = await import('../../functions/network/domain/costs.ts');
    useAdapters(
      localAdapters({ dataDir, publicBaseUrl: 'http://127.0.0.1:9', env: { LINK_SIGNING_KEY: 'bench-link-key-0123456789abcdef' } }),
    );
    const lines: MeterLine[] = [];
    useMeterSink((line) => lines.push(line));
    const ctx = { memoryLimitInMB: '512' } as never;
    const operator = { sub: 'bench', role: 'operator' } as const;
    await seedDemo(new Date('2026-09-01T08:00:00Z'));

    // ---- Redevance over N invoices ----
    const statements: StatementRun[] = [];
    const territories = ['44', '85'];
    for (const [i, invoices] of sizes.entries()) {
      const etd = territories[i]!;
      await setRate(
        operator,
        etd,
        RateVersionBody().parse({ from: '2026-10-01', conceptualBasisPoints: 150, operationalBasisPoints: 250, basis: 'invoiced' }),
        new Date('2026-09-30T08:00:00Z'),
      );
      const started = performance.now();
      let bytes = 0;
      const items = Array.from({ length: invoices }, (_, k) => {
        const day = String(1 + (k % 31)).padStart(2, '0');
        const cae = k % 2 === 0 ? 'SAMAD' : 'MSG';
        const id = `inv_01kn${String(k).padStart(22, '0')}`;
        const item = factItem({
          factId: `inv:${id}`,
          kind: 'invoice',
          basis: 'invoiced',
          etd,
          cae,
          date: `2026-10-${day}`,
          netCents: 20_000 + ((k * 7919) % 300_000),
          invoiceId: id,
          number: `F-${cae}${etd}-2026-${String(k + 1).padStart(6, '0')}`,
          recordedAt: `2026-10-${day}T12:${String(k % 60).padStart(2, '0')}:00.000Z`,
        });
        bytes += itemBytes(item);
        return item;
      });
      const batches: (typeof items)[] = [];
      for (let k = 0; k < items.length; k += 25) batches.push(items.slice(k, k + 25));
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < batches.length) {
            const batch = batches[next++]!;
            let request: Record<string, unknown[]> | undefined = {
              [tableName('network')]: batch.map((Item) => ({ PutRequest: { Item } })),
            };
            while (request && Object.keys(request).length) {
              const answer = await documentClient().send(new BatchWriteCommand({ RequestItems: request as never }));
              request = answer.UnprocessedItems as Record<string, unknown[]> | undefined;
            }
          }
        }),
      );
      const writeMs = performance.now() - started;
      log(`  ${invoices} facts of ${etd} written in ${(writeMs / 1000).toFixed(1)} s`);
      lines.length = 0;
      const t = performance.now();
      // Apart: the month's Query pass alone, and the pure computation on its facts.
      const { factsDated } = await import('../../functions/network/store.ts');
      const { computeStatement } = await import('../../functions/network/domain/redevance.ts');
      const { parsePeriod } = await import('../../functions/network/domain/periods.ts');
      const q0 = performance.now();
      const facts = await factsDated(etd, '2026-10-01', '2026-10-31');
      const queryMs = performance.now() - q0;
      const c0 = performance.now();
      computeStatement({
        etd,
        period: parsePeriod('2026-10')!,
        versions: [
          { from: '2026-10-01', conceptualBasisPoints: 150, operationalBasisPoints: 250, basis: 'invoiced', frequency: 'monthly' },
        ],
        periodFacts: facts,
        lateFacts: [],
        cutoff: '2026-11-02T07:55:00.000Z',
      });
      const computeMs = performance.now() - c0;
      log(`  ${etd}: the month's Query pass alone ${(queryMs / 1000).toFixed(2)} s, the computation ${(computeMs / 1000).toFixed(3)} s`);
      const outcome = await metered({ fn: 'IssueRedevanceStatement', trigger: 'http', etd }, ctx, () =>
        issueStatement(adapters(), operator, etd, '2026-10', new Date('2026-11-02T08:00:00Z')),
      );
      const elapsed = performance.now() - t;
      const line = lines.at(-1)!;
      statements.push({
        invoices,
        writeMs,
        ms: elapsed,
        queryMs,
        computeMs,
        rcu: line.rcu,
        wcu: line.wcu,
        minimumRcu: Math.ceil(bytes / 4096),
        itemBytes: Math.round(bytes / invoices),
        redevanceCents: outcome.statement.totals.redevanceCents,
      });
      log(`  statement ${etd}-2026-10 over ${invoices} invoices: ${(elapsed / 1000).toFixed(2)} s, ${line.rcu} RCU`);
    }

    // ---- An entrepreneur-month of operations, metered ----
    const ops = await entrepreneurMonth(metered, ctx, adapters, log);
    const operations: OperationRow[] = ops.map((o) => ({ ...o }));
    const prices = pricesOn('2026-11-01');
    const monthRows = operations.map((o) => ({
      etd: '44',
      trigger: o.operation.startsWith('consumer') || o.operation.startsWith('relay') ? 'event' : 'http',
      memoryMb: 512,
      invocations: o.invocations * o.perMonth,
      durationMs: o.durationMs * o.perMonth,
      rcu: o.rcu * o.perMonth,
      wcu: o.wcu * o.perMonth,
      s3Requests: o.s3Requests * o.perMonth,
      emails: o.emails * o.perMonth,
    }));
    const q = quantitiesByEtd(monthRows, prices).get('44')!;
    const byService: Record<string, number> = {};
    let operationsMicro = 0;
    for (const [service, quantity] of Object.entries(q)) {
      const micro = microEuros(quantity, prices.prices[service as keyof typeof q].usdPerMillion, prices.eurPerUsd.value);
      byService[service] = micro / 1e6;
      operationsMicro += micro;
    }
    // Shared, a month at year 10: the scheduled jobs (each daily job 30 times, the hourly one 720, the monthly ones once;
    // 5 s at 512 MB each, an upper bound of the measured jobs), the custom metric series; ÷ the entrepreneurs.
    const jobsInvocations = 7 * 30 + 720 + 3;
    const jobsMicro =
      microEuros((jobsInvocations * 5 * 512) / 1024, prices.prices['lambda-compute'].usdPerMillion, prices.eurPerUsd.value) +
      microEuros(jobsInvocations, prices.prices['lambda-requests'].usdPerMillion, prices.eurPerUsd.value);
    const series = prices.assumptions.metricSeriesShared + YEAR10.territories * prices.assumptions.metricSeriesPerTerritory;
    const metricsMicro = microEuros(series, prices.prices['cloudwatch-metrics'].usdPerMillion, prices.eurPerUsd.value);
    const sharedMicro = (jobsMicro + metricsMicro) / YEAR10.entrepreneurs;
    byService['cloudwatch-metrics (shared)'] = metricsMicro / YEAR10.entrepreneurs / 1e6;
    byService['scheduled jobs (shared)'] = jobsMicro / YEAR10.entrepreneurs / 1e6;
    const verified = prices.eurPerUsd.verified && Object.values(prices.prices).every((p) => p.verified);
    return {
      statements,
      operations,
      perEntrepreneurMonth: {
        byService,
        operationsEuros: operationsMicro / 1e6,
        sharedEuros: sharedMicro / 1e6,
        totalEuros: (operationsMicro + sharedMicro) / 1e6,
      },
      scale: { territories: YEAR10.territories, entrepreneurs: YEAR10.entrepreneurs, invoicesPerMonth: INVOICES_PER_MONTH },
      pricesVerified: verified,
    };
  } finally {
    await ddb?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

type Metered = typeof import('../../functions/shared/metering.ts').metered;

/** The operations of one entrepreneur-month, each under its meter; per invocation, the median of the demo profiles. */
async function entrepreneurMonth(
  metered: Metered,
  ctx: never,
  adapters: typeof import('../../functions/shared/adapters.ts').adapters,
  log: (line: string) => void,
): Promise<OperationRow[]> {
  const { useMeterSink } = await import('../../functions/shared/metering.ts');
  const directory = await import('../../functions/onboarding/service.ts');
  const { CreateClientBody } = await import('../../functions/onboarding/schemas.ts');
  const { CreateInvoiceBody } = await import('../../functions/invoices/schemas.ts');
  const { createInvoice } = await import('../../functions/invoices/service.ts');
  const { issueInvoice } = await import('../../functions/invoices/issue.ts');
  const { recordPayment } = await import('../../functions/payments/ledger.ts');
  const { recordFact } = await import('../../functions/network/facts.ts');
  const { recordTurnover } = await import('../../functions/payroll/index.ts');
  const { setSalary } = await import('../../functions/payroll/salaries.ts');
  const { SalaryBody } = await import('../../functions/payroll/schemas.ts');
  const { issuePayslip } = await import('../../functions/payroll/payslips.ts');
  const { dashboard, accountStatement } = await import('../../functions/payroll/account.ts');
  const { demoPayrollMonth, demoEntrepreneurs } = await import('../../infra/local/demo-data.ts');
  const manager = { sub: 'bench', role: 'manager', etd: '44' } as const;
  const operator = { sub: 'bench', role: 'operator' } as const;
  const samples = new Map<string, MeterLine[]>();
  useMeterSink((line) => samples.set(line.fn, [...(samples.get(line.fn) ?? []), line]));
  const m = <R>(fn: string, trigger: 'http' | 'event', run: () => Promise<R>) => metered({ fn, trigger, etd: '44' }, ctx, run);
  const es = (await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 20 })).items;
  const clients = (await directory.listClients(operator, { etd: '44', limit: 50 })).items;
  const at = (d: string) => new Date(`${d}T09:00:00Z`);
  for (const profile of demoPayrollMonth.profiles) {
    const body = demoEntrepreneurs[profile.entrepreneur]!;
    const entrepreneur = es.find((e) => e.lastName === body.lastName)!;
    const client =
      clients.find((c) => c.entrepreneurId === entrepreneur.id) ??
      (await directory.createClient(
        manager,
        CreateClientBody().parse({
          etd: '44',
          kind: 'individual',
          entrepreneurId: entrepreneur.id,
          firstName: 'Client',
          lastName: 'Banc',
          email: 'client.banc@example.org',
          address: { line1: '1 rue du Banc', postalCode: '44000', city: 'Nantes' },
        }),
        at('2026-10-01'),
      ));
    const draft = await m('CreateInvoice', 'http', () =>
      createInvoice(
        manager,
        CreateInvoiceBody().parse({
          etd: '44',
          cae: body.cae,
          clientId: client.id,
          entrepreneurId: entrepreneur.id,
          kind: 'standard',
          title: profile.title,
          dueDays: 30,
          lines: [profile.line],
        }),
        at('2026-10-15'),
      ),
    );
    const invoice = await m('IssueInvoice', 'http', () => issueInvoice(adapters(), manager, draft.id, at('2026-10-15')));
    const pi = `pi_bench_${invoice.id}`;
    await m('StripeWebhook', 'http', () =>
      recordPayment(
        adapters(),
        {
          invoiceId: invoice.id,
          paymentIntent: pi,
          amountCents: invoice.totals.grossCents,
          status: 'succeeded',
          method: 'card',
          at: at('2026-10-22'),
        },
        at('2026-10-22'),
      ),
    );
    const detail = {
      invoiceId: invoice.id,
      number: invoice.number!,
      etd: '44',
      cae: body.cae,
      entrepreneurId: entrepreneur.id,
      clientId: client.id,
      issuedOn: '2026-10-15',
      kind: 'standard',
      totals: { netCents: invoice.totals.netCents, vatCents: 0, grossCents: invoice.totals.grossCents },
      sapEligible: false,
    } as const;
    await m('consumer RecordRedevanceFacts (×2 events)', 'event', () => recordFact('InvoiceIssued', detail, at('2026-10-15')));
    await m('consumer CreditTurnover (×2 events)', 'event', () =>
      recordTurnover(
        { sourceId: `pay:${pi}`, entrepreneurId: entrepreneur.id, period: '2026-10', netCents: invoice.totals.netCents },
        at('2026-10-22'),
      ),
    );
    await m('SetSalary', 'http', () =>
      setSalary(manager, entrepreneur.id, '2026-10', SalaryBody().parse({ grossCents: profile.grossCents }), at('2026-11-02')),
    );
    await m('IssuePayslip', 'http', () => issuePayslip(adapters(), manager, entrepreneur.id, '2026-10', at('2026-11-02')));
    await m('EntrepreneurDashboard', 'http', () => dashboard(manager, entrepreneur.id, '2026-01', '2026-10'));
    await m('ActivityAccount', 'http', () => accountStatement(manager, entrepreneur.id, '2026-10'));
  }
  log(`  an entrepreneur-month of operations metered (${demoPayrollMonth.profiles.length} profiles)`);
  const perMonth: Record<string, number> = {
    CreateInvoice: INVOICES_PER_MONTH,
    IssueInvoice: INVOICES_PER_MONTH,
    // the pay page, the checkout and the webhook: counted as three invocations of the webhook's cost
    StripeWebhook: INVOICES_PER_MONTH * 3,
    'consumer RecordRedevanceFacts (×2 events)': INVOICES_PER_MONTH * 2,
    'consumer CreditTurnover (×2 events)': INVOICES_PER_MONTH * 2,
    SetSalary: 1,
    IssuePayslip: 1,
    EntrepreneurDashboard: 8,
    ActivityAccount: 8,
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows = [...samples.entries()].map(([operation, ls]) => ({
    operation,
    perMonth: perMonth[operation] ?? 1,
    invocations: 1,
    durationMs: median(ls.map((l) => l.durationMs)),
    rcu: median(ls.map((l) => l.rcu)),
    wcu: median(ls.map((l) => l.wcu)),
    s3Requests: median(ls.map((l) => l.s3Requests)),
    emails: median(ls.map((l) => l.emails)),
  }));
  // The relay: one invocation per event published (two per invoice), no DynamoDB (it reads the stream), about 50 ms.
  rows.push({
    operation: 'relay RelayEvents',
    perMonth: INVOICES_PER_MONTH * 2 + 2,
    invocations: 1,
    durationMs: 50,
    rcu: 0,
    wcu: 0,
    s3Requests: 0,
    emails: 0,
  });
  return rows;
}

// ---- Child ---------------------------------------------------------------------------------------------

export function measureNetworkInChild(sizes: readonly number[], log: (line: string) => void): Promise<NetworkResult> {
  return runInChild<NetworkResult>(import.meta.url, ['--run', ...sizes.map(String)], log, ['--max-old-space-size=4096']);
}

// ---- Report ------------------------------------------------------------------------------------------

export function statementTable(r: NetworkResult): string {
  const [small, large] = r.statements;
  const rows = r.statements.map((s) => [
    `${s.invoices.toLocaleString('en-US')} invoices (one territory-month)`,
    (s.ms / 1000).toFixed(2),
    (s.queryMs / 1000).toFixed(2),
    ms(s.computeMs),
    s.rcu.toFixed(1),
    `${s.minimumRcu}`,
    s.minimumRcu ? `${(s.rcu / s.minimumRcu).toFixed(2)}×` : 'n/a',
    s.wcu.toFixed(1),
    `${s.itemBytes}`,
    (s.writeMs / 1000).toFixed(1),
  ]);
  const ratio =
    small && large
      ? [
          [
            `ratio 100 k ÷ 10 k`,
            `${(large.ms / small.ms).toFixed(2)}×`,
            `${(large.queryMs / small.queryMs).toFixed(2)}×`,
            `${(large.computeMs / small.computeMs).toFixed(2)}×`,
            `${(large.rcu / small.rcu).toFixed(2)}×`,
            '',
            '',
            '',
            '',
            '',
          ],
        ]
      : [];
  return table(
    [
      'statement',
      'issue s',
      'Query pass s',
      'computation ms',
      'RCU',
      'minimum RCU',
      'RCU ÷ minimum',
      'WCU',
      'bytes per fact',
      'setup: facts written in s',
    ],
    [...rows, ...ratio],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function operationsTable(r: NetworkResult): string {
  return table(
    ['operation (one invocation)', 'per entrepreneur-month', 'ms (512 MB)', 'RCU', 'WCU', 'S3', 'e-mails'],
    r.operations.map((o) => [
      o.operation,
      `${o.perMonth}`,
      ms(o.durationMs),
      o.rcu.toFixed(1),
      o.wcu.toFixed(1),
      `${o.s3Requests}`,
      `${o.emails}`,
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function costTable(r: NetworkResult): string {
  const p = r.perEntrepreneurMonth;
  const rows = Object.entries(p.byService)
    .filter(([, v]) => v > 0)
    .map(([service, euros]) => [service, euros.toFixed(5)]);
  return table(
    ['AWS cost per entrepreneur-month (year 10)', '€'],
    [
      ...rows,
      ['**total AWS**', `**${p.totalEuros.toFixed(4)}**`],
      ['leading CAE SaaS, per user per month', '9.00'],
      ['AWS ÷ SaaS price', `${((p.totalEuros / 9) * 100).toFixed(3)} %`],
    ],
    ['l', 'r'],
  );
}

// ---- BENCHMARKS.md section ---------------------------------------------------------------------------

export const NETWORK_HEADING = '## 6. Network: redevance and cost per territory';

export function networkSection(r: NetworkResult, run: { date: string; seconds: string; load: string }): string {
  const [small, large] = r.statements;
  return `${NETWORK_HEADING}

Measured ${run.date} in ${run.seconds} (\`npm run bench -- --only-network\` runs this part alone and replaces this section;
load average ${run.load}).

### Redevance of one territory-month

${statementTable(r)}

- **Capacity**: the statement reads the month's facts in ONE strongly consistent Query pass (\`factsDated\`,
  1 MB pages): ${small ? `${small.rcu.toFixed(0)} RCU for ${small.invoices.toLocaleString('en-US')} invoices` : ''}${large ? `, ${large.rcu.toFixed(0)} for ${large.invoices.toLocaleString('en-US')}` : ''}, against a
  minimum of Σ item bytes ÷ 4 KB (${small?.itemBytes ?? '?'} bytes a fact: keys, the index keys, the fact): the ratio stays at
  1.00–1.01 (the rounding of each 1 MB page). The writes are the statement and the head (one transaction, ${small?.wcu.toFixed(0)} WCU).
- **Time**: the *issue* column is the whole use case (Query pass, computation, PDF, S3, transaction, e-mail). The
  Query pass grows faster than the number of facts on **DynamoDB Local** (its paging rereads from the start of the
  partition: ${small && large ? `${(large.queryMs / small.queryMs).toFixed(0)}× for 10× the facts` : ''}); DynamoDB reads a partition at up to 3 000 RCU/s,
  so the 100 k pass needs about ${large ? Math.ceil(large.rcu / 3000) : '?'} s there. The computation itself (\`computeStatement\`,
  pure) grows with the facts (${small && large ? `${(large.computeMs / small.computeMs).toFixed(1)}×` : ''} for 10×).
  The statement's lines endpoint pages the same facts instead of loading them.
- Setup (not measured as the statement): the facts written with BatchWriteItem by 8 callers, as
  RecordRedevanceFacts writes them, half CAE SAMAD, half CAE MSG, every day of October 2026.

### AWS cost per entrepreneur-month at the plan's year-10 scale

${r.scale.territories} territories, ${r.scale.entrepreneurs.toLocaleString('en-US')} entrepreneurs, 62,6 M€ HT a year (≈ 3 900 € HT per entrepreneur-month: ${r.scale.invoicesPerMonth} invoices
a month, each paid online, is the assumption).

${operationsTable(r)}

${costTable(r)}

- Each operation ran once per demo profile through its use case under the invocation meter
  (functions/shared/metering.ts: \`ReturnConsumedCapacity: 'TOTAL'\`, S3 requests, e-mails); the row is the
  median. Durations are local (in process, DynamoDB Local) and billed at the stack's 512 MB: Lambda time is
  not what the cost depends on here.
- Prices: functions/network/prices.ts (eu-west-3; ${r.pricesVerified ? 'every price verified' : '**not verified** against the live pages: every price carries its source and `verified: false`'}).
  Shared: the custom metric series of the operators' dashboard (a month's price) and the scheduled jobs, ÷ the
  entrepreneurs. Not counted: storage (DynamoDB and S3, a few GB at year 10: cents a month), Stripe's fees
  (per payment, charged by Stripe, not AWS: the cost job adds them per territory).
- The result: the platform's AWS bill is **${r.perEntrepreneurMonth.totalEuros.toFixed(3)} € per entrepreneur-month**, ${((r.perEntrepreneurMonth.totalEuros / 9) * 100).toFixed(2)} % of the
  9 € per user per month of the leading CAE SaaS; the dashboard's custom metrics dominate it, not the requests.
`;
}

/** BENCHMARKS.md with the network section replaced (or appended). */
export function withNetworkSection(md: string, section: string): string {
  const at = md.indexOf(NETWORK_HEADING);
  if (at < 0) return `${md.replace(/\n*$/, '\n')}\n${section}`;
  const next = md.indexOf('\n## ', at + NETWORK_HEADING.length);
  return md.slice(0, at) + section + (next < 0 ? '' : `\n${md.slice(next + 1)}`);
}

// ---- Alone -------------------------------------------------------------------------------------------

if (process.argv[2] === '--run') {
  const sizes = process.argv.slice(3).map(Number);
  const result = await run(sizes, (line) => process.stderr.write(`${line}\n`));
  printChildResult(result);
  process.exit(0);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureNetworkInChild([10_000, 100_000], (line) => process.stderr.write(`${line}\n`));
  console.log(statementTable(result));
  console.log('');
  console.log(operationsTable(result));
  console.log('');
  console.log(costTable(result));
}
