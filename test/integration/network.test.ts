/**
 * The redevance and the cost per territory on a real DynamoDB Local with the local adapters: invoices
 * and a credit note issued through the invoicing use cases, their sales events (the outbox items the
 * relay publishes) applied by the RecordRedevanceFacts consumer with its own grants; rate versions;
 * the monthly job issuing October (its base cross-checked against the invoices), a re-run writing
 * nothing, a credit note dated in October arriving after October was stated becoming a regularisation
 * of November; the lines endpoint tracing every amount to its invoice; the PDF and the e-mail; scopes;
 * the daily cost job on metered invocations adding up to the price table.
 */
import { rmSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumers, type ConsumerDef } from '../../functions/consumers.ts';
import type { EventType } from '../../functions/events/catalog.ts';
import { EVENT_SOURCE } from '../../functions/events/catalog.ts';
import { createCreditNote } from '../../functions/invoices/credit-notes.ts';
import { issueInvoice } from '../../functions/invoices/issue.ts';
import * as invoices from '../../functions/invoices/service.ts';
import { jobs } from '../../functions/jobs.ts';
import { computeDayCosts } from '../../functions/network/costs.ts';
import { dayCosts } from '../../functions/network/domain/costs.ts';
import { recordFact, type SaleEventType } from '../../functions/network/facts.ts';
import { pricesOn } from '../../functions/network/prices.ts';
import { listRates, setRate } from '../../functions/network/rates.ts';
import { RateVersionBody } from '../../functions/network/schemas.ts';
import { issueStatement } from '../../functions/network/statement-issue.ts';
import { getStatement, listStatements, statementLines, statementPdfLink } from '../../functions/network/statements.ts';
import { costsBetween } from '../../functions/network/store.ts';
import { usageSource } from '../../functions/network/usage.ts';
import { territoryCodes } from '../../functions/onboarding/index.ts';
import { settlement } from '../../functions/payments/index.ts';
import { adapters } from '../../functions/shared/adapters.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { documentClient, tableName } from '../../functions/shared/dynamo.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/shared/errors.ts';
import { metered, useMeterSink } from '../../functions/shared/metering.ts';
import { invokeHandler } from '../../infra/local/apigw.ts';
import { useLocalPdfAssets } from '../../infra/local/grants.ts';
import { useLocalMetering } from '../../infra/local/metering.ts';
import { buildScheduledEvent } from '../../infra/local/scheduler.ts';
import { readOutbox } from '../../infra/local/adapters.ts';
import { useUsageSource } from '../../functions/network/usage.ts';
import {
  installLocalAdapters,
  manager44,
  manager85,
  operator,
  seedInvoicingWorld,
  standardBody,
  type InvoicingWorld,
} from '../support/invoicing.ts';
import { setUpLocalTables, uniquePrefix } from '../support/local-tables.ts';
import { eventsOfInvoice } from '../support/outbox-events.ts';
import { usePdfReader } from '../support/pdf-text.ts';
import { seedDemo } from '../../infra/local/seed.ts';

const readPdf = usePdfReader('redevance');
let dataDir: string;
let world: InvoicingWorld;
const at = (iso: string) => new Date(iso);
const entrepreneur: Principal = { sub: 'es', role: 'entrepreneur', etd: '44', entityId: 'ent_00000000000000000000000000' };

beforeEach(async () => {
  await setUpLocalTables(uniquePrefix('network'));
  dataDir = installLocalAdapters();
  useLocalPdfAssets();
  world = await seedInvoicingWorld(dataDir, at('2026-10-01T08:00:00Z'));
});
afterEach(() => {
  useMeterSink(undefined);
  useUsageSource(undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const error = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

const consumer = consumers.find((c) => c.fn === 'RecordRedevanceFacts') as ConsumerDef;

/** The sales events of an invoice, delivered to the consumer (with its grants) as the bus does; its answers. */
async function viaConsumer(invoiceId: string, type?: EventType) {
  const answers: unknown[] = [];
  for (const event of await eventsOfInvoice(invoiceId, type)) {
    answers.push(
      await invokeHandler(consumer, {
        version: '0',
        id: `env-${event.eventId}`,
        source: EVENT_SOURCE,
        account: '000000000000',
        time: event.at,
        region: 'eu-west-3',
        resources: [],
        'detail-type': event.type,
        detail: { ...event.detail, eventId: event.eventId, at: event.at },
      }),
    );
  }
  return answers;
}

/**
 * The events of an invoice applied as the consumer applies them, at a chosen instant (the consumer
 * records a fact at its own clock: the scenario's clock is not the machine's).
 */
async function deliverAt(invoiceId: string, when: Date, type?: SaleEventType) {
  for (const event of await eventsOfInvoice(invoiceId, type)) await recordFact(event.type as SaleEventType, event.detail as never, when);
}

async function issued(cae: 'SAMAD' | 'MSG', quantity: number, day: Date) {
  const draft = await invoices.createInvoice(
    manager44,
    standardBody(world, cae, {
      sapEligible: false,
      lines: [{ description: 'Aide à domicile', kind: 'labour', quantity, unit: 'h', unitPriceCents: 2_485, vatRate: '20' }],
    }),
    day,
  );
  return issueInvoice(adapters(), manager44, draft.id, day);
}

const rate = (from: string, c = 150, o = 250) =>
  RateVersionBody().parse({ from, conceptualBasisPoints: c, operationalBasisPoints: o, basis: 'invoiced' });

const runJob = (fn: string, when: Date) =>
  invokeHandler(jobs.find((j) => j.fn === fn)!, buildScheduledEvent({ fn }, when), { timeoutMs: 120_000 }) as Promise<any>;

describe('redevance statements', () => {
  it('October: base = invoices − credit notes per CAE; a re-run writes nothing; a late credit note regularises October in November', async () => {
    await setRate(operator, '44', rate('2026-10-01'), at('2026-09-30T10:00:00Z'));
    const samad = await issued('SAMAD', 20, at('2026-10-10T09:00:00Z'));
    const msg = await issued('MSG', 7.5, at('2026-10-12T09:00:00Z'));
    const credited = await issued('SAMAD', 4, at('2026-10-20T09:00:00Z'));
    const { creditNote: early } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      credited.id,
      { lines: [{ index: 0, quantity: 1 }], reason: 'Une heure non effectuée' },
      at('2026-10-21T09:00:00Z'),
    );
    await deliverAt(samad.id, at('2026-10-10T09:01:00Z'));
    await deliverAt(msg.id, at('2026-10-12T09:01:00Z'));
    await deliverAt(credited.id, at('2026-10-21T09:01:00Z'));

    // A credit note of 31 October whose event is held back (the relay is down) until 2 November.
    const { creditNote: late } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      samad.id,
      { lines: [{ index: 0, quantity: 2 }], reason: 'Deux heures non effectuées' },
      at('2026-10-31T19:00:00Z'),
    );

    // The monthly job, on the first working day of November (Monday 2, 1 November is a Sunday and a holiday).
    const november = at('2026-11-02T07:00:00Z');
    const first = await runJob('IssueRedevanceStatements', november);
    expect(first.issued.map((s: { id: string }) => s.id)).toEqual(['44-2026-10']);
    expect(first.withoutRates).toBeGreaterThanOrEqual(1); // 85 has no rate version
    const october = await getStatement(manager44, '44-2026-10');
    // Cross-check: the base is the invoices minus the credit note known by then, HT, per CAE.
    expect(october.baseByCae).toEqual({
      SAMAD: samad.totals.netCents + credited.totals.netCents - early.totals.netCents,
      MSG: msg.totals.netCents,
    });
    expect(october.totals.baseCents).toBe(samad.totals.netCents + msg.totals.netCents + credited.totals.netCents - early.totals.netCents);
    expect(october.totals.conceptualCents + october.totals.operationalCents).toBe(october.totals.redevanceCents);
    expect(october.lines.every((l) => l.kind === 'period')).toBe(true);

    // Every amount traced to its invoice: the lines endpoint lists each fact with its line, and they add up.
    const all = await allLines('44-2026-10');
    expect(all.reduce((s, f) => s + f.netCents, 0)).toBe(october.totals.baseCents);
    expect(new Set(all.map((f) => f.invoiceId))).toEqual(new Set([samad.id, msg.id, credited.id]));
    expect(all.find((f) => f.kind === 'credit-note')).toMatchObject({ number: early.number, netCents: -early.totals.netCents });

    // The PDF and the managers' e-mail.
    const link = await statementPdfLink(adapters(), manager44, '44-2026-10');
    expect(link.url).toContain('redevance-44-2026-10.pdf');
    const mails = readOutbox(dataDir).filter((m) => m.subject.startsWith('Relevé de redevance'));
    expect(mails.length).toBeGreaterThanOrEqual(1);
    expect(mails[0]!.text).toContain('octobre 2026');

    // A re-run (the job again, then on demand) writes nothing: same statement, same hash, no new item.
    const before = await scanCount();
    expect((await runJob('IssueRedevanceStatements', november)).issued).toEqual([]);
    const again = await issueStatement(adapters(), operator, '44', '2026-10', at('2026-11-02T09:00:00Z'));
    expect(again.created).toBe(false);
    expect(again.statement.contentHash).toBe(october.contentHash);
    expect(await scanCount()).toBe(before);

    // The held-back credit note arrives after October was stated.
    await deliverAt(samad.id, at('2026-11-02T10:00:00Z'), 'CreditNoteIssued');
    const november2 = await issued('MSG', 10, at('2026-11-15T09:00:00Z'));
    await deliverAt(november2.id, at('2026-11-15T09:01:00Z'));
    // The consumer itself (its grants, idempotency): a fact already recorded is not recorded again.
    expect(await viaConsumer(november2.id, 'InvoiceIssued')).toEqual([
      { outcome: 'applied', result: { recorded: false, factId: `inv:${november2.id}` } },
    ]);

    const december = await runJob('IssueRedevanceStatements', at('2026-12-01T07:00:00Z'));
    expect(december.issued.map((s: { id: string }) => s.id)).toEqual(['44-2026-11']);
    const nov = await getStatement(operator, '44-2026-11');
    expect(nov.lines.map((l) => [l.kind, l.cae, l.regularises, l.baseCents])).toEqual([
      ['period', 'MSG', undefined, november2.totals.netCents],
      ['regularisation', 'SAMAD', '2026-10', -late.totals.netCents],
    ]);
    expect(nov.totals.regularisationBaseCents).toBe(-late.totals.netCents);
    // October is unchanged; together, the two statements count every invoice minus every credit note.
    expect((await getStatement(operator, '44-2026-10')).contentHash).toBe(october.contentHash);
    const all4 = samad.totals.netCents + msg.totals.netCents + credited.totals.netCents + november2.totals.netCents;
    expect(october.totals.baseCents + nov.totals.baseCents).toBe(all4 - early.totals.netCents - late.totals.netCents);
    const novLines = await allLines('44-2026-11');
    expect(novLines.reduce((sum, f) => sum + f.netCents, 0)).toBe(nov.totals.baseCents);
    const regularised = novLines.find((f) => f.line.kind === 'regularisation');
    expect(regularised).toMatchObject({ factId: `crn:${late.id}`, line: { regularises: '2026-10' } });

    // The PDF says it in French.
    const pdf = readPdf(await adapters().documents.get(nov.documentKey));
    expect(pdf.raw).toContain('Relevé de redevance — novembre 2026');
    expect(pdf.raw).toContain('régularisation de octobre 2026');
    expect(pdf.raw).toContain('Redevance due');
  });

  it('rate versions: never before a stated period, parts within 10 000 basis points, operators only; bad periods refused', async () => {
    await setRate(operator, '44', rate('2026-10-01'), at('2026-09-30T10:00:00Z'));
    await issueStatement(adapters(), operator, '44', '2026-10', at('2026-11-03T10:00:00Z'));
    const overlap = await error(setRate(operator, '44', rate('2026-10-15'), at('2026-11-03T10:00:00Z')));
    expect((overlap as ValidationError).errors).toEqual([{ path: 'from', message: expect.stringContaining('2026-10-31') }]);
    const tooMuch = await error(setRate(operator, '44', rate('2026-11-01', 6_000, 4_001), at('2026-11-03T10:00:00Z')));
    expect((tooMuch as ValidationError).errors[0]!.path).toBe('operationalBasisPoints');
    expect(await error(setRate(operator, '44', rate('2026-10-01'), at('2026-11-03T10:00:00Z')))).toBeInstanceOf(ValidationError);
    await setRate(operator, '44', rate('2026-11-16', 100, 300), at('2026-11-03T10:00:00Z'));
    expect((await listRates(manager44, '44')).versions.map((v) => v.from)).toEqual(['2026-10-01', '2026-11-16']);
    expect(await error(listRates(manager85, '44'))).toBeInstanceOf(NotFoundError);

    // Periods: not ended, skipping one, of another frequency.
    const notEnded = await error(issueStatement(adapters(), operator, '44', '2026-11', at('2026-11-30T10:00:00Z')));
    expect((notEnded as ValidationError).errors[0]!.path).toBe('period');
    const skip = await error(issueStatement(adapters(), operator, '44', '2026-12', at('2027-01-05T10:00:00Z')));
    expect(skip).toBeInstanceOf(ConflictError);
    expect((skip as ConflictError).extensions).toMatchObject({ field: 'period', next: '2026-11' });
    const quarter = await error(issueStatement(adapters(), operator, '44', '2026-Q4', at('2027-01-05T10:00:00Z')));
    expect((quarter as ValidationError).errors[0]!.path).toBe('period');
    // A territory without a rate version.
    expect(await error(issueStatement(adapters(), operator, '85', '2026-10', at('2026-11-03T10:00:00Z')))).toBeInstanceOf(ConflictError);
  });

  it('scopes: operators all, managers their territory, others nothing', async () => {
    await setRate(operator, '44', rate('2026-10-01'), at('2026-09-30T10:00:00Z'));
    await issueStatement(adapters(), operator, '44', '2026-10', at('2026-11-03T10:00:00Z'));
    expect((await listStatements(operator, { limit: 10 })).items.map((s) => s.id)).toEqual(['44-2026-10']);
    expect((await listStatements(manager44, { limit: 10 })).items).toHaveLength(1);
    expect((await listStatements(manager85, { limit: 10 })).items).toHaveLength(0);
    expect(await error(getStatement(manager85, '44-2026-10'))).toBeInstanceOf(NotFoundError);
    expect(await error(getStatement(entrepreneur, '44-2026-10'))).toBeInstanceOf(NotFoundError);
    expect(await error(statementLines(manager85, '44-2026-10', { limit: 10 }))).toBeInstanceOf(NotFoundError);
    expect(await error(issueStatement(adapters(), manager85, '44', '2026-10', at('2026-11-03T10:00:00Z')))).toBeInstanceOf(NotFoundError);
  });
});

describe('the demo (npm start)', () => {
  it('states October 2026 for the demo territories: the base is the sum of their October invoices, per CAE', async () => {
    await setUpLocalTables(uniquePrefix('network-demo'));
    const seededAt = at('2026-11-25T10:00:00Z');
    expect(await seedDemo(seededAt, { activity: true })).toEqual({ created: true });
    const invoices44 = (await invoices.listInvoices(manager44, { etd: '44', limit: 100 }, seededAt)).items.filter((i) =>
      i.issueDate?.startsWith('2026-10'),
    );
    expect(invoices44.length).toBeGreaterThanOrEqual(3);
    const byCae = (cae: string) => invoices44.filter((i) => i.cae === cae).reduce((sum, i) => sum + i.totals.netCents, 0);
    const october = await getStatement(operator, '44-2026-10');
    expect(october.baseByCae).toEqual({ SAMAD: byCae('SAMAD'), MSG: byCae('MSG') });
    expect(october.totals.redevanceCents).toBe(october.totals.conceptualCents + october.totals.operationalCents);
    expect((await getStatement(operator, '85-2026-10')).totals.baseCents).toBe(0);
  });
});

describe('cost per territory', () => {
  it('meters invocations to the local log and prices a day: metered + shared + Stripe = the price table over all usage', async () => {
    useLocalMetering(dataDir);
    // A day of invocations: routes of 44 and 85, a job (unattributed), through the real handlers and their meters.
    const day = '2026-11-29';
    const when = at('2026-11-29T10:00:00Z');
    const ctx = { memoryLimitInMB: '1024' } as never;
    await metered({ fn: 'ListEntrepreneurs', trigger: 'http', etd: '44' }, ctx, () => listRates(manager44, '44').catch(() => undefined));
    await metered({ fn: 'CreateInvoice', trigger: 'http', etd: '44' }, ctx, async () => {
      await issued('SAMAD', 2, when);
    });
    await metered({ fn: 'GetEtd', trigger: 'http', etd: '85' }, ctx, () => listRates(manager85, '85'));
    await metered({ fn: 'PublishImpactMetrics', trigger: 'job' }, ctx, async () => {
      for await (const _ of territoryCodes());
    });
    // The lines were written "today" (real clock): price the real day they fall in.
    const today = new Date().toISOString().slice(0, 10);
    const rows = await usageSource().rowsOf(today, at(`${today}T00:00:00Z`), at(`${today}T23:59:59.999Z`));
    expect(rows.find((r) => r.etd === '44')!.invocations).toBe(2);
    expect(rows.find((r) => r.etd === '44')!.wcu).toBeGreaterThan(0); // the invoice's writes, ConsumedCapacity counted
    expect(rows.find((r) => r.etd === '')!.rcu).toBeGreaterThan(0);

    const outcome = await computeDayCosts(adapters(), { rowsOf: async () => rows }, day, when);
    expect(outcome).toMatchObject({ day, written: 2, addsUp: true });
    const items = await costsBetween(undefined, day, day);
    expect(items.map((c) => c.etd).sort()).toEqual(['44', '85']);
    const expected = dayCosts({ day, territories: ['44', '85'], rows, prices: pricesOn(day), stripeFeesCents: {} });
    expect(items.reduce((s, c) => s + c.totalMicroEuros, 0)).toBe(expected.totalMicroEuros);
    for (const c of items) expect(c.totalMicroEuros).toBe(c.meteredMicroEuros + c.sharedMicroEuros + c.stripeFeesMicroEuros);
    // Idempotent: the same day again writes nothing.
    expect((await computeDayCosts(adapters(), { rowsOf: async () => rows }, day, when)).written).toBe(0);
  });
});

/** Every line of a statement, two facts a page (so the pages and the switch to late facts are walked). */
async function allLines(id: string) {
  const first = await statementLines(operator, id, { limit: 2 });
  const all = [...first.items];
  let cursor = first.nextCursor;
  while (cursor) {
    const page = await statementLines(operator, id, { limit: 2, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  }
  return all;
}

async function scanCount(): Promise<number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new ScanCommand({ TableName: tableName('network'), Select: 'COUNT', ExclusiveStartKey: start }),
    );
    n += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return n;
}
