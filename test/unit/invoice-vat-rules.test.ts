/**
 * The VAT rates a standard invoice may use and what an SAP invoice must carry
 * (functions/invoices/domain/vat-rules.ts), with the configured rates per activity; the default pole.
 */
import { describe, expect, it } from 'vitest';
import { sapAuthorisationActivities, sapVatRates } from '../../functions/invoices/config.ts';
import {
  invoiceVatProblems,
  needsSapAuthorisation,
  sapAuthorisationProblem,
  sapDeclarationProblem,
  sapHourlyPricesRounded,
  sapLines,
  type InvoiceVatInput,
} from '../../functions/invoices/domain/vat-rules.ts';
import { defaultPole } from '../../functions/invoices/service.ts';
import { dependencyActivities, sapActivities, sapActivityLabel, type SapAuthorisation } from '../../functions/shared/sap.ts';

const sap = (lines: InvoiceVatInput['lines'], more: Partial<InvoiceVatInput> = {}): InvoiceVatInput => ({
  kind: 'standard',
  works: false,
  sapEligible: true,
  clientIsIndividual: true,
  lines,
  ...more,
});
const works = (lines: InvoiceVatInput['lines'], housingOver2Years?: boolean): InvoiceVatInput => ({
  kind: 'standard',
  works: true,
  sapEligible: false,
  clientIsIndividual: true,
  housingOver2Years,
  lines,
});
const paths = (input: InvoiceVatInput) => invoiceVatProblems(input, sapVatRates, sapAuthorisationActivities).map((p) => p.path);

describe('SAP invoices (C. trav. D7233-1; CGI 279 i, 278-0 bis D)', () => {
  it.each([
    ['housework at 10 %', sap([{ vatRate: '10', unit: 'h', sapActivity: 'housework' }]), []],
    ['housework at 20 %', sap([{ vatRate: '20', unit: 'h', sapActivity: 'housework' }]), []],
    ['housework at 5.5 %: not its rate', sap([{ vatRate: '5.5', unit: 'h', sapActivity: 'housework' }]), ['lines.0.vatRate']],
    [
      'assistance to an elderly person at 5.5 %, said dependent, by an authorised CAE',
      sap([{ vatRate: '5.5', unit: 'h', sapActivity: 'elderly-assistance' }], { dependentBeneficiary: true, sapAuthorised: true }),
      [],
    ],
    [
      'assistance at 5.5 % without saying the beneficiary is dependent',
      sap([{ vatRate: '5.5', unit: 'h', sapActivity: 'elderly-assistance' }], { sapAuthorised: true }),
      ['dependentBeneficiary'],
    ],
    [
      'assistance at 5.5 % by a CAE without a valid agrément or autorisation (CGI 278-0 bis D)',
      sap([{ vatRate: '5.5', unit: 'h', sapActivity: 'elderly-assistance' }], { dependentBeneficiary: true, sapAuthorised: false }),
      ['lines.0.vatRate'],
    ],
    [
      'the same when nobody said whether the CAE is authorised',
      sap([{ vatRate: '5.5', unit: 'h', sapActivity: 'dependent-driving' }], { dependentBeneficiary: true }),
      ['lines.0.vatRate'],
    ],
    [
      'neither dependent nor authorised: both said',
      sap([
        { vatRate: '10', unit: 'h', sapActivity: 'housework' },
        { vatRate: '5.5', unit: 'h', sapActivity: 'dependent-accompaniment' },
      ]),
      ['dependentBeneficiary', 'lines.1.vatRate'],
    ],
    [
      'accompaniment at 20 % without an authorisation: the rate is not refused (issuing is, editionTwoMentions)',
      sap([{ vatRate: '20', unit: 'h', sapActivity: 'dependent-accompaniment' }], { sapAuthorised: false }),
      [],
    ],
    [
      'housework at 10 % needs no authorisation',
      sap([{ vatRate: '10', unit: 'h', sapActivity: 'housework' }], { sapAuthorised: false }),
      [],
    ],
    ['a line without its activity', sap([{ vatRate: '10', unit: 'h' }]), ['lines.0.sapActivity']],
    ['a lump sum: no hours to print', sap([{ vatRate: '10', unit: 'lump-sum', sapActivity: 'gardening' }]), ['lines.0.unit']],
    ['to a company', sap([{ vatRate: '10', unit: 'h', sapActivity: 'housework' }], { clientIsIndividual: false }), ['sapEligible']],
  ] as const)('%s', (_, input, expected) => {
    expect(paths(input)).toEqual(expected);
  });

  it('is issued only with the CAE’s SAP declaration', () => {
    expect(sapDeclarationProblem(true, undefined)?.path).toBe('sapEligible');
    expect(sapDeclarationProblem(true, { number: 'SAP901122333', declaredOn: '2025-09-15' })).toBeUndefined();
    expect(sapDeclarationProblem(false, undefined)).toBeUndefined();
  });

  it('needs the CAE’s agrément or autorisation when a line is a service to elderly, disabled or dependent people', () => {
    expect(needsSapAuthorisation([{ sapActivity: 'housework' }, { sapActivity: 'gardening' }], sapAuthorisationActivities)).toBe(false);
    expect(needsSapAuthorisation([{ sapActivity: 'housework' }, { sapActivity: 'mobility-assistance' }], sapAuthorisationActivities)).toBe(
      true,
    );
    expect(needsSapAuthorisation([{}], sapAuthorisationActivities)).toBe(false);
    // The activities licensed are the 5.5 % ones (BOI-TVA-LIQ-30-20-80: « agrément ou autorisation » for each).
    expect(sapActivities.filter((a) => needsSapAuthorisation([{ sapActivity: a }], sapAuthorisationActivities))).toEqual(
      dependencyActivities,
    );
  });

  const autorisation: SapAuthorisation = {
    kind: 'autorisation',
    number: 'SAAD-44-2026-0117',
    grantedOn: '2026-01-05',
    validUntil: '2041-01-04',
    issuer: 'le président du conseil départemental de la Loire-Atlantique',
  };
  it.each([
    ['none on record', undefined, '2026-12-01', /no agrément or autorisation on record/],
    ['the day before it is granted', autorisation, '2026-01-04', /granted from 2026-01-05/],
    ['the day it is granted', autorisation, '2026-01-05', undefined],
    ['its last day', autorisation, '2041-01-04', undefined],
    ['the day after its last day', autorisation, '2041-01-05', /autorisation expired on 2041-01-04/],
    ['no end recorded, years later', { ...autorisation, validUntil: undefined }, '2060-06-01', undefined],
    [
      'an agrément expired',
      { ...autorisation, kind: 'agrement', validUntil: '2031-02-01' } as const,
      '2031-02-02',
      /agrement expired on 2031-02-01/,
    ],
  ] as const)('the CAE’s licence: %s', (_, licence, on, expected) => {
    const problem = sapAuthorisationProblem(licence, on);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it('prints each service’s nature, hours, hourly price TTC and amount TTC', () => {
    expect(
      sapLines(
        [
          {
            description: 'Ménage et repassage',
            quantity: 16,
            unit: 'h',
            unitPriceCents: 2_750,
            vatRate: '10',
            totalCents: 44_000,
            sapActivity: 'housework',
          },
        ],
        sapActivityLabel,
      ),
    ).toEqual([
      {
        nature: 'Entretien de la maison et travaux ménagers — Ménage et repassage',
        hours: 16,
        hourlyPriceTtcCents: 3_025,
        totalTtcCents: 48_400,
      },
    ]);
  });
});

describe('SAP hourly prices TTC rounded to the cent', () => {
  const line = (quantity: number, unitPriceCents: number, vatRate: '10' | '5.5' | '20') =>
    sapLines(
      [
        {
          description: 'Aide',
          quantity,
          unit: 'h',
          unitPriceCents,
          vatRate,
          totalCents: Math.round(quantity * unitPriceCents),
          sapActivity: 'housework',
        },
      ],
      sapActivityLabel,
    );
  it.each([
    ['16 h at 27.50 € HT, 10 %: 30.25 € × 16 = 484.00 €', 16, 2_750, '10', false],
    ['6.5 h at 29.00 € HT, 5.5 %: 30.60 € × 6.5 = 198.90 €, the amount 198.87 €', 6.5, 2_900, '5.5', true],
    ['8 h at 29.00 € HT, 5.5 %: 30.60 € × 8 = 244.80 €, the amount 244.76 €', 8, 2_900, '5.5', true],
    ['2 h at 28.44 € HT, 5.5 %: 30.00 € × 2 = 60.00 €, the amount 60.01 €', 2, 2_844, '5.5', true],
    ['1 h at 25.00 € HT, 20 %: 30.00 €', 1, 2_500, '20', false],
  ] as const)('%s: noted %s', (_, hours, unit, rate, noted) => {
    expect(sapHourlyPricesRounded(line(hours, unit, rate))).toBe(noted);
  });
});

describe('standard invoices outside SAP', () => {
  it.each([
    ['works at 10 % on housing over two years', works([{ vatRate: '10', unit: 'h' }], true), []],
    ['works at 10 % on new housing', works([{ vatRate: '10', unit: 'h' }], false), ['lines.0.vatRate']],
    ['works at 5.5 % not energy renovation', works([{ vatRate: '5.5', unit: 'u' }], true), ['lines.0.vatRate']],
    ['works at 5.5 % energy renovation', works([{ vatRate: '5.5', unit: 'u', energyRenovation: true }], true), []],
    [
      'another invoice at 10 %',
      { kind: 'standard', works: false, sapEligible: false, clientIsIndividual: true, lines: [{ vatRate: '10', unit: 'h' }] },
      ['lines.0.vatRate'],
    ],
    [
      'SAP activities on an invoice that is not SAP',
      {
        kind: 'standard',
        works: false,
        sapEligible: false,
        clientIsIndividual: true,
        lines: [{ vatRate: '20', unit: 'h', sapActivity: 'housework' }],
      },
      ['sapEligible'],
    ],
    [
      'a deposit invoice: its rates are its quote’s, checked when it was drafted',
      { kind: 'deposit', works: true, sapEligible: false, clientIsIndividual: true, lines: [{ vatRate: '5.5', unit: 'lump-sum' }] },
      [],
    ],
  ] as const)('%s', (_, input, expected) => {
    expect(paths(input as InvoiceVatInput)).toEqual(expected);
  });
});

describe('the pole of a standard invoice that names none', () => {
  it.each([
    ['SAMAD', false, ['autonomy'], 'autonomy'],
    ['MSG', true, ['renovation', 'home-services'], 'home-services'],
    ['MSG', false, ['renovation', 'home-services'], 'renovation'],
    ['MSG', false, ['home-services'], 'home-services'],
  ] as const)('%s, SAP %s, poles %j: %s', (cae, sapEligible, poles, pole) => {
    expect(defaultPole(cae, sapEligible, poles)).toBe(pole);
  });
});

describe('the SAP activities that need an agrément or autorisation are configuration, not verified', () => {
  it('names the labour-law and tax basis of each', () => {
    for (const entry of Object.values(sapAuthorisationActivities)) {
      expect(entry.basis).toMatch(/L7232-1/);
      expect(entry.basis).toMatch(/CGI 278-0 bis D/);
      expect(entry.verified).toBe(false);
    }
  });
});

describe('the SAP rates are configuration, none presented as verified', () => {
  it('names a basis for each activity and a rate among 5.5, 10 and 20 %', () => {
    for (const entry of Object.values(sapVatRates)) {
      expect(['5.5', '10', '20']).toContain(entry.rate);
      expect(entry.basis).toMatch(/CGI/);
      expect(entry.verified).toBe(false);
    }
  });
});
