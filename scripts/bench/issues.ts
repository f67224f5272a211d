/**
 * Invoice numbering under contention: how many invoices one CAE series issues per second when
 * K callers issue at once, through the real use case (`issueInvoice` of functions/invoices/issue.ts:
 * series lease, PDF rendered and stored, one DynamoDB transaction, e-mail to the outbox), on an
 * in-memory DynamoDB Local seeded with the demo data. After each round, the series is checked:
 * the numbers issued so far are exactly 1..n, no gap, no duplicate, and the counter says n.
 *
 * It runs in a child process (`measureIssuesInChild`): the handlers' DynamoDB client is a module
 * singleton bound to the endpoint of its first use, and the bench's other parts have their own
 * DynamoDB Local, stopped by then.
 *
 * Alone: `node scripts/bench/issues.ts` (Node 24) prints the table; `--json` prints the result as JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Principal } from '../../functions/shared/auth.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { applyLocalEnv, ensureTables } from '../../infra/local/tables.ts';
import { printChildResult, runInChild } from './child.ts';
import { ms, table } from './report.ts';

export interface IssuesOptions {
  /** Drafts issued per round. */
  readonly invoices?: number;
  /** Concurrent callers, one round each, in this order. */
  readonly callers?: readonly number[];
  /** Issues before the rounds (fonts parsed, JIT, connection pool), counted in the series check. */
  readonly warmup?: number;
  readonly log?: (line: string) => void;
}

export interface IssuesRound {
  readonly callers: number;
  readonly issued: number;
  readonly errors: number;
  readonly firstError?: string | undefined;
  readonly wallMs: number;
  /** Invoices issued per second over the round's wall time. */
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Numbers of this round: first and last sequence, and whether they are contiguous. */
  readonly first: number;
  readonly last: number;
  readonly contiguous: boolean;
}

export interface IssuesResult {
  readonly series: string;
  readonly rounds: readonly IssuesRound[];
  /** All issued invoices of the series (warm-up included): exactly 1..n, and the counter at n. */
  readonly total: number;
  readonly seriesOk: boolean;
  readonly seriesProblem?: string | undefined;
  readonly lines: number;
  readonly pdfBytes: number;
  readonly setupMs: number;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : Number.NaN;

/** 1..n exactly? Answers a description of the first problem, or undefined. */
export function seriesProblem(sequences: readonly number[]): string | undefined {
  const sorted = [...sequences].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i] === i) return `duplicate number ${i}`;
    if (sorted[i] !== i + 1) return `gap: ${i + 1} missing (next is ${sorted[i]})`;
  }
  return undefined;
}

export async function measureIssues(options: IssuesOptions = {}): Promise<IssuesResult> {
  const { invoices = 100, callers = [1, 8, 32], warmup = 5, log = () => {} } = options;
  const setupStarted = performance.now();
  let ddb: DynamoDbLocal | undefined;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oui-bench-issues-'));
  try {
    ddb = await startDynamoDbLocal();
    log(`  DynamoDB Local (in memory) on ${ddb.endpoint}, pid ${ddb.pid}`);
    const tableEnv = await ensureTables(ddb.endpoint, { prefix: `bench-issues-${process.pid}-` });
    applyLocalEnv(ddb.endpoint, tableEnv);
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

    // Modules that build Powertools or SDK singletons are loaded only now, with the environment set.
    const { adapters, useAdapters } = await import('../../functions/shared/adapters.ts');
    const { localAdapters } = await import('../../infra/local/adapters.ts');
    (await import('../../infra/local/grants.ts')).useLocalPdfAssets();
    const { seedDemo } = await import('../../infra/local/seed.ts');
    const directory = await import('../../functions/onboarding/service.ts');
    const { CreateInvoiceBody } = await import('../../functions/invoices/schemas.ts');
    const { createInvoice } = await import('../../functions/invoices/service.ts');
    const { issueInvoice, invoiceSeries } = await import('../../functions/invoices/issue.ts');
    const { getItem } = await import('../../functions/invoices/store.ts');
    const { seriesKeys } = await import('../../functions/shared/series.ts');
    const { parisYear } = await import('../../functions/shared/clock.ts');

    // Documents and e-mails in a temporary directory; no Stripe call is made when issuing.
    useAdapters(
      localAdapters({ dataDir, publicBaseUrl: 'http://127.0.0.1:9', env: { LINK_SIGNING_KEY: 'bench-link-key-0123456789abcdef' } }),
    );
    const seeded = await seedDemo();
    if (!seeded.created) throw new Error(`seed did not run on fresh tables (${seeded.reason})`);
    const manager: Principal = { sub: 'bench-manager', role: 'manager', etd: '44' };
    const active = await directory.listEntrepreneurs({ sub: 'bench', role: 'operator' }, { etd: '44', state: 'active', limit: 10 });
    const author = active.items.find((e) => e.lastName === 'Garnier');
    if (!author) throw new Error('the demo data holds no active entrepreneur Garnier in ETD 44');
    const client = (await directory.listClients(manager, { entrepreneurId: author.id, limit: 10 })).items[0];
    if (!client) throw new Error(`the demo data holds no client of ${author.id}`);

    const body = CreateInvoiceBody().parse({
      etd: '44',
      cae: 'MSG',
      entrepreneurId: author.id,
      clientId: client.id,
      kind: 'standard',
      title: 'Peinture du séjour et de l’entrée',
      lines: [
        {
          description: 'Préparation des supports (rebouchage, ponçage)',
          kind: 'labour',
          quantity: 6,
          unit: 'h',
          unitPriceCents: 4_200,
          vatRate: '20',
        },
        {
          description: 'Peinture des murs et plafonds, deux couches',
          kind: 'labour',
          quantity: 48,
          unit: 'm2',
          unitPriceCents: 1_850,
          vatRate: '20',
        },
        { description: 'Peinture acrylique mate, 10 L', kind: 'material', quantity: 3, unit: 'u', unitPriceCents: 8_900, vatRate: '20' },
        { description: 'Déplacement', kind: 'travel', quantity: 1, unit: 'lump-sum', unitPriceCents: 3_500, vatRate: '20' },
      ],
    });
    const series = invoiceSeries('MSG', '44', parisYear(new Date()));
    const drafts = async (count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push((await createInvoice(manager, body, new Date())).id);
      return ids;
    };
    const numbers: number[] = [];
    const sequenceOf = (number: string | null) => {
      if (!number?.startsWith(`${series}-`)) throw new Error(`invoice number ${number} is not of series ${series}`);
      return Number(number.slice(series.length + 1));
    };

    let pdfBytes = 0;
    for (const id of await drafts(warmup)) {
      const issued = await issueInvoice(adapters(), manager, id, new Date());
      numbers.push(sequenceOf(issued.number));
      pdfBytes = issued.document?.bytes ?? 0;
    }
    const setupMs = performance.now() - setupStarted;
    log(`  ready in ${(setupMs / 1000).toFixed(1)} s; series ${series}; ${warmup} warm-up issues`);

    const rounds: IssuesRound[] = [];
    for (const k of callers) {
      const queue = await drafts(invoices);
      const latencies: number[] = [];
      const mine: number[] = [];
      let errors = 0;
      let firstError: string | undefined;
      const started = performance.now();
      const caller = async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          const t = performance.now();
          try {
            const issued = await issueInvoice(adapters(), manager, id, new Date());
            latencies.push(performance.now() - t);
            mine.push(sequenceOf(issued.number));
          } catch (error) {
            errors++;
            firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          }
        }
      };
      await Promise.all(Array.from({ length: k }, caller));
      const wallMs = performance.now() - started;
      numbers.push(...mine);
      const sorted = [...latencies].sort((a, b) => a - b);
      const bySequence = [...mine].sort((a, b) => a - b);
      const round: IssuesRound = {
        callers: k,
        issued: latencies.length,
        errors,
        firstError,
        wallMs,
        perSecond: latencies.length / (wallMs / 1000),
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? Number.NaN,
        first: bySequence[0] ?? Number.NaN,
        last: bySequence.at(-1) ?? Number.NaN,
        contiguous: bySequence.every((s, i) => s === bySequence[0]! + i),
      };
      rounds.push(round);
      log(
        `  ${k} caller${k > 1 ? 's' : ''}: ${round.issued} issued (${errors} errors) in ${(wallMs / 1000).toFixed(2)} s, ${round.perSecond.toFixed(1)}/s, p50 ${ms(round.p50)} ms, p99 ${ms(round.p99)} ms`,
      );
      if (firstError) log(`    first error: ${firstError}`);
    }

    const counter = await getItem(seriesKeys.counter(series));
    let problem = seriesProblem(numbers);
    if (!problem && Number(counter?.last ?? 0) !== numbers.length)
      problem = `the counter says ${String(counter?.last)}, ${numbers.length} invoices were issued`;
    return {
      series,
      rounds,
      total: numbers.length,
      seriesOk: !problem,
      seriesProblem: problem,
      lines: body.lines!.length,
      pdfBytes,
      setupMs,
    };
  } finally {
    try {
      await ddb?.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}

export function issuesTable(r: IssuesResult): string {
  return table(
    ['concurrent callers', 'invoices issued', 'errors', 'issues per second', 'ms p50', 'ms p99', 'ms max', 'numbers'],
    r.rounds.map((round) => [
      `${round.callers}`,
      `${round.issued}`,
      `${round.errors}`,
      round.perSecond.toFixed(1),
      ms(round.p50),
      ms(round.p99),
      ms(round.max),
      `${round.first}–${round.last}${round.contiguous ? '' : ' (not contiguous!)'}`,
    ]),
    ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
}

export function seriesCheck(r: IssuesResult): string {
  return r.seriesOk
    ? `Series \`${r.series}\`: ${r.total} invoices (warm-up included), numbers exactly 1..${r.total}, no gap, no duplicate; the counter is at ${r.total}.`
    : `Series \`${r.series}\`: **NOT 1..n** — ${r.seriesProblem}.`;
}

/** `measureIssues` in a fresh Node process (same executable), its log lines passed to `log`. */
export function measureIssuesInChild(options: Omit<IssuesOptions, 'log'> & { log?: (line: string) => void }): Promise<IssuesResult> {
  const { log = () => {}, ...rest } = options;
  return runInChild<IssuesResult>(import.meta.url, ['--json', JSON.stringify(rest)], log);
}

if (import.meta.main) {
  const json = process.argv[2] === '--json';
  const options = (json && process.argv[3] ? JSON.parse(process.argv[3]) : {}) as Omit<IssuesOptions, 'log'>;
  const result = await measureIssues({ ...options, log: (l) => process.stderr.write(l + '\n') });
  if (json) {
    printChildResult(result);
  } else {
    console.log(issuesTable(result));
    console.log(seriesCheck(result));
  }
}
