import { describe, expect, it } from 'vitest';
import { factOf } from '../../functions/network/facts.ts';
import { nextPeriod, parsePeriod, periodContaining, previousPeriod } from '../../functions/network/domain/periods.ts';
import {
  computeStatement,
  type Fact,
  partOf,
  type RateVersion,
  rateVersionProblem,
  versionAt,
} from '../../functions/network/domain/redevance.ts';

describe('partOf: base × basis points / 10 000, nearest cent, halves away from zero', () => {
  it.each([
    [100_000, 250, 2_500],
    [1, 5_000, 1], // 0.5 → 1
    [-1, 5_000, -1], // -0.5 → -1 (a credit note cancels its invoice)
    [3, 1_666, 0], // 0.4998
    [30, 1_666, 5], // 4.998
    [12_345, 175, 216], // 216.0375
    [-12_345, 175, -216],
    [0, 9_999, 0],
    [99_999_999_99, 10_000, 99_999_999_99],
  ])('partOf(%i, %i) = %i', (base, bp, expected) => {
    expect(partOf(base, bp)).toBe(expected);
  });
});

describe('periods', () => {
  it.each([
    ['2026-10', 'monthly', '2026-10-01', '2026-10-31'],
    ['2024-02', 'monthly', '2024-02-01', '2024-02-29'],
    ['2026-Q4', 'quarterly', '2026-10-01', '2026-12-31'],
    ['2026-Q1', 'quarterly', '2026-01-01', '2026-03-31'],
  ])('%s is %s from %s to %s', (id, frequency, from, to) => {
    expect(parsePeriod(id)).toEqual({ id, frequency, from, to });
  });
  it.each(['2026-13', '2026-Q5', '2026-1', 'x', '2026-10-01'])('%s is no period', (id) => expect(parsePeriod(id)).toBeUndefined());
  it('next, previous and containing', () => {
    expect(nextPeriod(parsePeriod('2026-12')!).id).toBe('2027-01');
    expect(previousPeriod(parsePeriod('2027-Q1')!).id).toBe('2026-Q4');
    expect(periodContaining('2026-11-30', 'quarterly').id).toBe('2026-Q4');
  });
});

const v = (from: string, c: number, o: number, basis: 'invoiced' | 'cashed' = 'invoiced'): RateVersion => ({
  from,
  conceptualBasisPoints: c,
  operationalBasisPoints: o,
  basis,
  frequency: 'monthly',
});
let n = 0;
const fact = (over: Partial<Fact>): Fact => ({
  factId: `inv:${++n}`,
  kind: 'invoice',
  basis: 'invoiced',
  etd: '44',
  cae: 'SAMAD',
  date: '2026-10-15',
  netCents: 100_000,
  invoiceId: `inv_${n}`,
  recordedAt: '2026-10-15T10:00:00.000Z',
  ...over,
});

describe('versionAt', () => {
  const versions = [v('2026-11-01', 100, 100), v('2026-01-01', 200, 300)];
  it.each([
    ['2025-12-31', undefined],
    ['2026-01-01', '2026-01-01'],
    ['2026-10-31', '2026-01-01'],
    ['2026-11-01', '2026-11-01'],
  ])('on %s: %s', (day, from) => expect(versionAt(versions, day)?.from).toBe(from));
});

describe('computeStatement', () => {
  const october = parsePeriod('2026-10')!;
  const base = { etd: '44', period: october, cutoff: '2026-11-02T07:00:00.000Z' };

  it('base = invoices − credit notes per CAE; parts rounded per line; totals are sums of the lines', () => {
    const s = computeStatement({
      ...base,
      versions: [v('2026-01-01', 150, 250)],
      periodFacts: [
        fact({ cae: 'SAMAD', netCents: 281_475 }),
        fact({ cae: 'SAMAD', netCents: 12_345 }),
        fact({ cae: 'MSG', netCents: 463_050 }),
        fact({ cae: 'MSG', kind: 'credit-note', factId: 'crn:1', netCents: -4_170 }),
        fact({ basis: 'cashed', kind: 'payment', factId: 'pay:1', netCents: 999_999 }), // other basis
        fact({ etd: '85', netCents: 777 }), // other territory
        fact({ recordedAt: '2026-11-03T00:00:00.000Z', netCents: 555 }), // after the cutoff
      ],
      lateFacts: [],
    });
    expect(s.baseByCae).toEqual({ SAMAD: 293_820, MSG: 458_880 });
    expect(s.lines.map((l) => [l.cae, l.facts, l.baseCents, l.conceptualCents, l.operationalCents])).toEqual([
      ['SAMAD', 2, 293_820, 4_407, 7_346], // 4407.3, 7345.5 → 7346
      ['MSG', 2, 458_880, 6_883, 11_472], // 6883.2, 11472
    ]);
    expect(s.totals).toEqual({
      baseCents: 752_700,
      conceptualCents: 11_290,
      operationalCents: 18_818,
      redevanceCents: 30_108,
      regularisationBaseCents: 0,
    });
  });

  it('a version starting mid-period splits the lines; facts before the first version count for nothing', () => {
    const s = computeStatement({
      ...base,
      versions: [v('2026-10-16', 100, 100), v('2026-10-05', 200, 200)],
      periodFacts: [fact({ date: '2026-10-01' }), fact({ date: '2026-10-10' }), fact({ date: '2026-10-16' }), fact({ date: '2026-10-31' })],
      lateFacts: [],
    });
    expect(s.lines.map((l) => [l.versionFrom, l.facts, l.conceptualCents])).toEqual([
      ['2026-10-05', 1, 2_000],
      ['2026-10-16', 2, 2_000],
    ]);
  });

  it('a credit note dated in a stated period and recorded later is a regularisation at that period’s rates', () => {
    const s = computeStatement({
      etd: '44',
      period: parsePeriod('2026-11')!,
      cutoff: '2026-12-01T07:00:00.000Z',
      previousCutoff: '2026-11-02T07:00:00.000Z',
      statedFrom: '2026-10-01',
      versions: [v('2026-01-01', 150, 250), v('2026-11-01', 300, 300)],
      periodFacts: [fact({ date: '2026-11-03', netCents: 200_000, recordedAt: '2026-11-03T09:00:00.000Z' })],
      lateFacts: [
        fact({ kind: 'credit-note', factId: 'crn:late', date: '2026-10-20', netCents: -10_000, recordedAt: '2026-11-05T09:00:00.000Z' }),
        // already counted by October's statement (recorded before its cutoff)
        fact({ date: '2026-10-20', netCents: 50_000, recordedAt: '2026-10-20T09:00:00.000Z' }),
        // dated before the first statement: regularises nothing
        fact({ kind: 'credit-note', factId: 'crn:old', date: '2026-09-20', netCents: -7_000, recordedAt: '2026-11-05T09:00:00.000Z' }),
      ],
    });
    expect(s.lines.map((l) => [l.kind, l.regularises, l.baseCents, l.conceptualCents, l.operationalCents])).toEqual([
      ['period', undefined, 200_000, 6_000, 6_000],
      ['regularisation', '2026-10', -10_000, -150, -250],
    ]);
    expect(s.totals.regularisationBaseCents).toBe(-10_000);
    expect(s.totals.redevanceCents).toBe(12_000 - 400);
  });

  it('the same facts give the same content hash, in any order; another fact changes it', () => {
    const facts = [fact({ netCents: 1 }), fact({ netCents: 2, cae: 'MSG' })];
    const input = { ...base, versions: [v('2026-01-01', 150, 250)], lateFacts: [] };
    const a = computeStatement({ ...input, periodFacts: facts });
    const b = computeStatement({ ...input, periodFacts: [...facts].reverse() });
    expect(a.contentHash).toBe(b.contentHash);
    expect(computeStatement({ ...input, periodFacts: [...facts, fact({ netCents: 0 })] }).contentHash).not.toBe(a.contentHash);
  });
});

describe('rateVersionProblem', () => {
  it.each([
    [{ from: '2026-11-01', conceptualBasisPoints: 100, operationalBasisPoints: 200 }, undefined, undefined],
    [{ from: '2026-11-01', conceptualBasisPoints: 100, operationalBasisPoints: 200 }, '2026-10-31', undefined],
    [{ from: '2026-10-31', conceptualBasisPoints: 100, operationalBasisPoints: 200 }, '2026-10-31', 'from'],
    [{ from: '2026-12-01', conceptualBasisPoints: 6_000, operationalBasisPoints: 4_001 }, undefined, 'operationalBasisPoints'],
  ])('%o after %s → %s', (version, statedTo, path) => {
    expect(rateVersionProblem(version, statedTo)?.path).toBe(path);
  });
});

describe('computeStatement counts a fact once', () => {
  it('a fact of the period recorded since the previous cutoff is in both lists, counted once', () => {
    const f = fact({ date: '2026-11-10', recordedAt: '2026-11-10T00:00:00.000Z' });
    const s = computeStatement({
      etd: '44',
      period: parsePeriod('2026-11')!,
      versions: [v('2026-01-01', 100, 100)],
      periodFacts: [f],
      lateFacts: [f],
      cutoff: '2026-12-01T00:00:00.000Z',
      previousCutoff: '2026-11-02T00:00:00.000Z',
    });
    expect(s.totals.baseCents).toBe(f.netCents);
  });
});

describe('factOf: the fact each sales event makes (HT, signed, on its basis, dated as the event says)', () => {
  const common = { etd: '44', cae: 'MSG', entrepreneurId: 'ent_x', invoiceId: 'inv_1' };
  const totals = { netCents: 10_000, vatCents: 2_000, grossCents: 12_000 };
  it.each([
    [
      'InvoiceIssued',
      { ...common, number: 'F-1', clientId: 'cli', issuedOn: '2026-10-03', kind: 'standard', totals, sapEligible: false },
      { factId: 'inv:inv_1', kind: 'invoice', basis: 'invoiced', date: '2026-10-03', netCents: 10_000, number: 'F-1' },
    ],
    [
      'CreditNoteIssued',
      { ...common, creditNoteId: 'crn_1', number: 'AV-1', clientId: 'cli', issuedOn: '2026-10-31', totals },
      { factId: 'crn:crn_1', kind: 'credit-note', basis: 'invoiced', date: '2026-10-31', netCents: -10_000, number: 'AV-1' },
    ],
    [
      'PaymentReceived',
      { ...common, paymentIntent: 'pi_1', amountCents: 12_000, netHtCents: 10_000, receivedOn: '2026-11-02' },
      { factId: 'pay:pi_1', kind: 'payment', basis: 'cashed', date: '2026-11-02', netCents: 10_000 },
    ],
    [
      'PaymentRefunded',
      { ...common, refundId: 're_1', paymentIntent: 'pi_1', amountCents: 600, netHtCents: 500, refundedOn: '2026-11-20' },
      { factId: 'ref:re_1', kind: 'refund', basis: 'cashed', date: '2026-11-20', netCents: -500 },
    ],
  ] as const)('%s', (type, detail, expected) => {
    expect(factOf(type, detail as never, '2026-11-30T10:00:00.000Z')).toMatchObject({
      ...expected,
      etd: '44',
      cae: 'MSG',
      invoiceId: 'inv_1',
      recordedAt: '2026-11-30T10:00:00.000Z',
    });
  });

  it('on the cashed basis, the invoiced facts count for nothing (and the other way round)', () => {
    const cashed: RateVersion = { ...v('2026-01-01', 100, 100), basis: 'cashed' };
    const s = computeStatement({
      etd: '44',
      period: parsePeriod('2026-11')!,
      versions: [cashed],
      periodFacts: [
        factOf(
          'PaymentReceived',
          { ...common, paymentIntent: 'pi_2', amountCents: 12_000, netHtCents: 10_000, receivedOn: '2026-11-02' },
          '2026-11-02T00:00:00.000Z',
        ),
        factOf(
          'PaymentRefunded',
          {
            ...common,
            refundId: 're_2',
            paymentIntent: 'pi_2',
            amountCents: 1_200,
            netHtCents: 1_000,
            receivedOn: '',
            refundedOn: '2026-11-03',
          } as never,
          '2026-11-03T00:00:00.000Z',
        ),
        factOf(
          'InvoiceIssued',
          { ...common, number: 'F-2', clientId: 'cli', issuedOn: '2026-11-01', kind: 'standard', totals, sapEligible: false },
          '2026-11-01T00:00:00.000Z',
        ),
      ],
      lateFacts: [],
      cutoff: '2026-12-01T00:00:00.000Z',
    });
    expect(s.totals.baseCents).toBe(9_000);
    expect(s.lines).toHaveLength(1);
  });
});
