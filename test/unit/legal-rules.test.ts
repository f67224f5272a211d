/**
 * The rules of building, insurance, consumer and VAT law that quotes and invoices share
 * (functions/shared/legal-rules.ts, pricing.ts, legal-texts.ts), table by table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canWithdraw,
  consumerProtection,
  executionProblem,
  firstPaymentDate,
  insuranceRenewalWarning,
  latestWorksStart,
  insuranceProblem,
  issuerProblems,
  rgeCoverage,
  rgeProblems,
  withdrawalDeadline,
} from '../../functions/shared/legal-rules.ts';
import { certificationSentence, certificationTitle, numbered, unbreakableNumbers } from '../../functions/shared/legal-texts.ts';
import {
  computeTotals,
  depositTotals,
  lineTotalCents,
  operationNature,
  reducedRatesUsed,
  finalTotals,
  vatRates,
  type PricedLine,
  type Totals,
} from '../../functions/shared/pricing.ts';

describe('who issues building-renovation documents', () => {
  it.each([
    ['MSG, renovation pole', 'renovation', 'MSG', ['renovation', 'home-services'], []],
    ['SAMAD, autonomy entrepreneur, a renovation quote', 'renovation', 'SAMAD', ['autonomy'], ['cae', 'entrepreneurId']],
    ['MSG, but a home-services entrepreneur', 'renovation', 'MSG', ['home-services'], ['entrepreneurId']],
    ['SAMAD, an autonomy quote', 'autonomy', 'SAMAD', ['autonomy'], []],
    ['MSG, a home-services invoice', 'home-services', 'MSG', ['home-services'], []],
  ] as const)('%s', (_, pole, cae, authorPoles, paths) => {
    expect(issuerProblems({ pole, cae, authorPoles }).map((p) => p.path)).toEqual(paths);
  });
});

describe('the issuer’s insurance on the document’s date', () => {
  const policy = {
    insurer: 'Assurances Coopératives du Bâtiment',
    insurerAddress: { line1: '21 boulevard Gabriel-Guist’hau', postalCode: '44000', city: 'Nantes' },
    policyNumber: 'RCD-44-2026-0733',
    coverage: 'France métropolitaine',
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
  };
  it.each([
    ['within its validity', policy, '2026-06-15', undefined],
    ['on its first day', policy, '2026-01-01', undefined],
    ['on its last day', policy, '2026-12-31', undefined],
    ['the day after it ended', policy, '2027-01-01', /expired on 2026-12-31/],
    ['before it starts', policy, '2025-12-31', /starts on 2026-01-01/],
    ['none on record', undefined, '2026-06-15', /no professional insurance/],
  ] as const)('%s', (_, insurance, on, refusal) => {
    const problem = insuranceProblem(insurance, on);
    if (refusal === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(refusal);
  });
});

describe('the insurance printed on a quote and the start of its works', () => {
  it.each([
    ['a start date', { startDate: '2027-01-11' }, '2026-12-25', '2027-01-11'],
    ['at the latest 30 days after an acceptance on the last valid day', { startWithinDays: 30 }, '2026-12-25', '2027-01-24'],
    ['neither', {}, '2026-12-25', undefined],
    ['no works terms (a quote sent before edition 2)', undefined, '2026-12-25', undefined],
  ] as const)('latest start: %s', (_, works, validUntil, latest) => {
    expect(latestWorksStart(works, validUntil)).toBe(latest);
  });

  it.each([
    ['works start within the policy', '2026-12-31', '2026-12-31', false],
    ['works start the day after it ends', '2026-12-31', '2027-01-01', true],
    ['no policy printed', undefined, '2027-01-11', false],
    ['no start known', '2026-12-31', undefined, false],
  ] as const)('%s: warned %s', (_, validUntil, start, warned) => {
    const warning = insuranceRenewalWarning(validUntil ? { validUntil } : undefined, start, 'cae', 'the CAE’s professional');
    expect(warning !== undefined).toBe(warned);
    if (warning) expect(warning).toMatchObject({ path: 'cae', message: expect.stringContaining(`ends (${validUntil})`) });
  });
});

describe('RGE coverage of the 5.5 % lines', () => {
  const rge = { certificateNumber: 'E-E123456', body: 'Qualibat', validUntil: '2027-06-30', domains: ['attic-insulation', 'windows'] };
  const lines = [
    { vatRate: '10' },
    { vatRate: '5.5', rgeDomain: 'attic-insulation' },
    { vatRate: '5.5', rgeDomain: 'ventilation' },
    { vatRate: '5.5' },
  ];
  it('covers a 5.5 % line whose domain the valid qualification holds, only those', () => {
    expect(rgeCoverage(lines, rge, '2026-11-25')).toEqual([
      { index: 1, domain: 'attic-insulation', covered: true },
      { index: 2, domain: 'ventilation', covered: false },
      { index: 3, domain: undefined, covered: false },
    ]);
  });
  it('covers nothing once the qualification expired, or without one', () => {
    expect(rgeCoverage(lines, rge, '2027-07-01').every((c) => !c.covered)).toBe(true);
    expect(rgeCoverage(lines, undefined, '2026-11-25').every((c) => !c.covered)).toBe(true);
  });
  it.each([
    ['a job claiming aid: each uncovered line refused', true, true, ['lines.2.rgeDomain', 'lines.3.rgeDomain']],
    ['a job not claiming aid: flagged on the document, not refused', false, true, []],
  ] as const)('%s', (_, claimsAid, partnerNamed, paths) => {
    expect(rgeProblems(rgeCoverage(lines, rge, '2026-11-25'), claimsAid, partnerNamed).map((p) => p.path)).toEqual(paths);
  });
  it('asks for the partner when the job claims aid without one', () => {
    expect(rgeProblems(rgeCoverage(lines, undefined, '2026-11-25'), true, false)[0]!.message).toMatch(/name the RGE partner/);
  });
});

describe('consumer contracts', () => {
  it.each([
    ['an individual, at home', true, true, { withdrawal: true, paymentWait: true }],
    ['an individual, at a distance only', true, false, { withdrawal: true, paymentWait: false }],
    ['a company', false, true, { withdrawal: false, paymentWait: false }],
  ] as const)('%s', (_, isIndividual, offPremises, expected) => {
    expect(consumerProtection({ isIndividual }, offPremises)).toEqual(expected);
  });

  it.each([
    ['a Monday: 14 days later, a Monday', '2026-11-30', '2026-12-14'],
    ['ending on a Saturday: the next Monday', '2026-12-05', '2026-12-21'],
    ['ending on Christmas (a Friday): the next Monday', '2026-12-11', '2026-12-28'],
    ['ending on 1 May (a Friday): the next Monday', '2026-04-17', '2026-05-04'],
    ['ending on a Sunday: the Monday', '2026-12-06', '2026-12-21'],
    ['ending on New Year’s Day (a Friday): the next Monday', '2026-12-18', '2027-01-04'],
    ['ending on Easter Monday: the Tuesday', '2027-03-15', '2027-03-30'],
    ['ending on the Saturday before Whit Monday: the Tuesday', '2027-05-01', '2027-05-18'],
    ['a Thursday in a leap February: 14 days later, a Thursday', '2028-02-17', '2028-03-02'],
  ])('withdrawal period of a contract concluded on %s', (_, concluded, deadline) => {
    expect(withdrawalDeadline(concluded)).toBe(deadline);
    expect(canWithdraw(concluded, deadline)).toBe(true);
  });

  it('refuses withdrawal the day after the deadline, grants it from the day of the contract', () => {
    expect(canWithdraw('2026-11-30', '2026-12-15')).toBe(false);
    expect(canWithdraw('2026-11-30', '2026-11-30')).toBe(true);
    // The day of the contract does not count (L221-19 1°): 13 days after it is not yet the end.
    expect(withdrawalDeadline('2026-11-30')).not.toBe('2026-12-13');
  });

  it.each([
    ['2026-11-26', '2026-12-04'],
    ['2026-12-28', '2027-01-05'],
    ['2027-02-25', '2027-03-05'],
    ['2028-02-25', '2028-03-04'],
    // L221-10 counts 7 days after the day of the contract; L221-19's extension to a working day is for
    // the withdrawal period only: the 8th day may be a Saturday.
    ['2026-12-04', '2026-12-12'],
  ])('no payment before the 7 days after %s: first on %s', (concluded, first) => {
    expect(firstPaymentDate(concluded)).toBe(first);
  });

  it.each([
    ['a start date', { worksStartDate: '2027-01-11' }, undefined],
    ['a delay after acceptance', { worksStartWithinDays: 30 }, undefined],
    ['neither', {}, 'worksStartDate'],
  ] as const)('a quote to an individual states when the works start: %s', (_, quote, path) => {
    expect(executionProblem(quote)?.path).toBe(path);
  });
});

describe('the deposit: one computation, rate by rate, equal to the cent on the quote and its invoice', () => {
  const lineArb = fc.record({
    quantity: fc.integer({ min: 1, max: 10_000_000 }).map((thousandths) => thousandths / 1000),
    unitPriceCents: fc.integer({ min: 0, max: 1_000_000 }),
    vatRate: fc.constantFrom(...vatRates),
  });
  it('holds for any quote and deposit percentage', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 100 }), (lines: PricedLine[], percent) => {
        const quote = computeTotals(lines, percent);
        // The deposit invoice bills one line per rate, at the deposit base of that rate.
        const invoiceLines = depositTotals(quote, percent).vat.map((v) => ({ quantity: 1, unitPriceCents: v.baseCents, vatRate: v.rate }));
        expect(computeTotals(invoiceLines).grossCents).toBe(quote.depositCents);
        expect(invoiceLines.every((l) => lineTotalCents(l) === l.unitPriceCents)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
  it('differs from a deposit taken on the total TTC where rounding parts them (the case the issue found)', () => {
    // 3 × 0.35 € at 5.5 % and 0.35 € at 10 %: TTC 1.50 €, 30 % of it 0.45 €; rate by rate 0.32 + 0.02 + 0.11 + 0.01 = 0.46 €,
    // the amount the deposit invoice bills: the quote announces 0.46 €.
    const totals = computeTotals(
      [
        { quantity: 3, unitPriceCents: 35, vatRate: '5.5' },
        { quantity: 1, unitPriceCents: 35, vatRate: '10' },
      ],
      30,
    );
    expect(totals.grossCents).toBe(150);
    expect(totals.depositCents).toBe(46);
    expect(depositTotals(totals, 30).vat).toEqual([
      { rate: '10', baseCents: 11, vatCents: 1 },
      { rate: '5.5', baseCents: 32, vatCents: 2 },
    ]);
  });
});

describe('the final invoice: the whole works less each deposit, rate by rate (finalTotals)', () => {
  const quote: Totals = {
    netCents: 2_090_679,
    vat: [
      { rate: '20', baseCents: 28_900, vatCents: 5_780 },
      { rate: '10', baseCents: 610_886, vatCents: 61_089 },
      { rate: '5.5', baseCents: 1_450_893, vatCents: 79_799 },
    ],
    grossCents: 2_237_347,
    depositCents: 671_205,
  };
  it.each([
    [
      'the 30 % deposit of the sample quote',
      [depositTotals(quote, 30)],
      [
        { rate: '20', baseCents: 20_230, vatCents: 4_046 },
        { rate: '10', baseCents: 427_620, vatCents: 42_762 },
        { rate: '5.5', baseCents: 1_015_625, vatCents: 55_859 },
      ],
      1_566_142,
    ],
    ['no deposit', [], quote.vat, 2_237_347],
    [
      'two deposits of 10 % and 20 %',
      [depositTotals(quote, 10), depositTotals(quote, 20)],
      [
        { rate: '20', baseCents: 20_230, vatCents: 4_046 },
        { rate: '10', baseCents: 427_620, vatCents: 42_762 },
        { rate: '5.5', baseCents: 1_015_625, vatCents: 55_859 },
      ],
      1_566_142,
    ],
  ] as const)('%s', (_, deposits, vat, grossCents) => {
    const balance = finalTotals(
      quote,
      deposits.map((totals) => ({ totals })),
    );
    expect(balance.vat).toEqual(vat);
    expect(balance.grossCents).toBe(grossCents);
    expect(balance.depositCents).toBe(0);
  });

  it('deposits and balance add up to the quote, rate by rate, to the cent', () => {
    const lineArb = fc.record({
      quantity: fc.integer({ min: 1, max: 100_000 }).map((hundredths) => hundredths / 100),
      unitPriceCents: fc.integer({ min: 0, max: 500_000 }),
      vatRate: fc.constantFrom(...vatRates),
    });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 100 }), (lines: PricedLine[], percent) => {
        const totals = computeTotals(lines, percent);
        const deposit = depositTotals(totals, percent);
        const balance = finalTotals(totals, [{ totals: deposit }]);
        for (const v of totals.vat) {
          const d = deposit.vat.find((x) => x.rate === v.rate)!;
          const b = balance.vat.find((x) => x.rate === v.rate)!;
          expect(d.baseCents + b.baseCents).toBe(v.baseCents);
          expect(d.vatCents + b.vatCents).toBe(v.vatCents);
        }
        expect(deposit.grossCents + balance.grossCents).toBe(totals.grossCents);
      }),
      { numRuns: 200 },
    );
  });
});

describe('certification, nature of the operation, typography', () => {
  it.each([
    [['20'], []],
    [['20', '10'], ['10']],
    [['5.5'], ['5.5']],
    [
      ['10', '5.5', '20'],
      ['10', '5.5'],
    ],
  ] as const)('rates %j: the certification covers %j', (rates, used) => {
    expect(reducedRatesUsed(rates.map((vatRate) => ({ vatRate })))).toEqual(used);
  });

  it('says energy renovation of the 5.5 % works only, not of the 10 % ones', () => {
    const both = certificationSentence(['10', '5.5']);
    expect(both).toMatch(
      /supérieure à 10\u00a0%\. Pour les travaux facturés au taux de 5,5\u00a0%, je certifie en outre qu’ils ont la nature de travaux de rénovation énergétique\.$/,
    );
    expect(certificationSentence(['10'])).not.toMatch(/énergétique/);
    expect(certificationSentence(['5.5'])).toMatch(/10\u00a0% et qu’ils ont la nature de travaux de rénovation énergétique\.$/);
    expect(certificationTitle(['10', '5.5'])).toBe('Attestation du client — TVA à taux réduit (10\u00a0% et 5,5\u00a0%)');
    expect(certificationTitle(['10'])).toBe('Attestation du client — TVA à taux réduit (10\u00a0%)');
  });

  it.each([
    [['labour', 'travel'], 'services'],
    [['material'], 'goods'],
    [['material', 'labour'], 'mixed'],
  ] as const)('lines %j: %s', (kinds, nature) => {
    expect(operationNature(kinds.map((kind) => ({ kind })))).toBe(nature);
  });

  it('holds « n° » to its number and never breaks a document number at its hyphens', () => {
    expect(numbered('D-MSG44-2026-000123')).toBe('n°\u00a0D\u2011MSG44\u20112026\u2011000123');
    expect(unbreakableNumbers('Acompte de 30 % sur le devis n° D-MSG44-2026-000123 (travaux)')).toBe(
      'Acompte de 30 % sur le devis n°\u00a0D\u2011MSG44\u20112026\u2011000123 (travaux)',
    );
    expect(unbreakableNumbers('Rez-de-chaussée')).toBe('Rez-de-chaussée');
  });
});
