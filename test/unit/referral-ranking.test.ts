/** Referrals' matching: who is a candidate, why the others are not, and the ranking seniors first (tables of cases). */
import { describe, expect, it } from 'vitest';
import { departmentCovered, departmentOfPostalCode } from '../../functions/referrals/domain/coverage.ts';
import {
  compareCandidates,
  exclusionsOf,
  figuresOf,
  matchPartners,
  type JobNeeds,
  type PartnerProfile,
  type RankFigures,
} from '../../functions/referrals/domain/matching.ts';
import { commissionCents, nextToOffer, offerAnswerable } from '../../functions/referrals/domain/referral.ts';
import { commissionRateFor, offerSettingsFor } from '../../functions/referrals/config.ts';
import { CreatePartnerBody } from '../../functions/onboarding/schemas.ts';
import { demoPartners } from '../../infra/local/demo-data.ts';

const figures = (f: Partial<RankFigures>): RankFigures => ({
  wornOut: 0,
  technicians: 10,
  wornOutShareBasisPoints: 0,
  openOffers: 0,
  registeredOn: '2025-01-01',
  ...f,
});

describe('ranking: seniors in wear-out first, then share, then fewest open offers, then earliest registration', () => {
  it.each([
    ['more technicians 45+ in wear-out wins', { wornOut: 3 }, { wornOut: 2 }],
    ['count before share: 3 of 20 before 2 of 2', { wornOut: 3, technicians: 20 }, { wornOut: 2, technicians: 2 }],
    ['same count: the larger share (3 of 5 before 3 of 9)', { wornOut: 3, technicians: 5 }, { wornOut: 3, technicians: 9 }],
    ['same count: the larger share (1 of 3 before 1 of 4)', { wornOut: 1, technicians: 3 }, { wornOut: 1, technicians: 4 }],
    [
      'same count, shares that round to the same basis points still compare exactly (2 of 30001 before 2 of 30002)',
      { wornOut: 2, technicians: 30_001 },
      { wornOut: 2, technicians: 30_002 },
    ],
    ['same count and share: fewer open offers', { wornOut: 2, openOffers: 0 }, { wornOut: 2, openOffers: 1 }],
    [
      'same share in other figures (2 of 4, 2 of 4): fewer open offers',
      { wornOut: 2, technicians: 4, openOffers: 1 },
      { wornOut: 2, technicians: 4, openOffers: 2 },
    ],
    ['all equal but registration: the earliest', { wornOut: 1, registeredOn: '2024-06-01' }, { wornOut: 1, registeredOn: '2025-02-03' }],
    ['open offers before registration', { openOffers: 0, registeredOn: '2026-01-01' }, { openOffers: 1, registeredOn: '2020-01-01' }],
    ['nobody in wear-out: fewest open offers decides', { wornOut: 0, openOffers: 0 }, { wornOut: 0, openOffers: 3 }],
    ['a company without technicians comes after one with a senior', { wornOut: 1, technicians: 1 }, { wornOut: 0, technicians: 0 }],
  ])('%s', (_, first, second) => {
    const a = { partnerId: 'par_b', figures: figures(first) };
    const b = { partnerId: 'par_a', figures: figures(second) };
    expect(compareCandidates(a, b)).toBeLessThan(0);
    expect(compareCandidates(b, a)).toBeGreaterThan(0);
  });

  it('everything equal: by id, so the order is total and stable', () => {
    const a = { partnerId: 'par_a', figures: figures({}) };
    const b = { partnerId: 'par_b', figures: figures({}) };
    expect(compareCandidates(a, b)).toBeLessThan(0);
    expect(compareCandidates(a, a)).toBe(0);
  });

  it('figures: the share in basis points for reading, wear-out 0 when not declared (old records)', () => {
    expect(figuresOf(partner({ technicians: { total: 9, aged45Plus: 5, aged45PlusWornOut: 3 } }), 2)).toEqual({
      wornOut: 3,
      technicians: 9,
      wornOutShareBasisPoints: 3333,
      openOffers: 2,
      registeredOn: '2025-01-01',
    });
    expect(figuresOf(partner({ technicians: { total: 0, aged45Plus: 0 } }), 0).wornOutShareBasisPoints).toBe(0);
    expect(figuresOf(partner({ technicians: { total: 4, aged45Plus: 4 } }), 0).wornOut).toBe(0);
  });
});

const job: JobNeeds = {
  department: '44',
  trades: ['insulation', 'plastering'],
  startDate: '2027-01-11',
  endDate: '2027-01-29',
  rgeDomains: [],
};

function partner(overrides: Partial<PartnerProfile> = {}): PartnerProfile {
  return {
    id: 'par_x',
    legalName: 'Entreprise X',
    trades: ['insulation', 'plastering'],
    departments: ['44'],
    decennale: { validFrom: '2026-01-01', validUntil: '2027-12-31', coverage: 'France métropolitaine' },
    technicians: { total: 10, aged45Plus: 5, aged45PlusWornOut: 2 },
    registeredOn: '2025-01-01',
    ...overrides,
  };
}

describe('eligibility: each failing rule is a reason', () => {
  const rge = { validUntil: '2028-01-01', domains: ['attic-insulation' as const] };
  const energy: JobNeeds = { ...job, rgeDomains: ['attic-insulation'] };
  it.each([
    ['eligible', partner(), job, []],
    ['another département', partner({ departments: ['85'] }), job, [{ code: 'department', details: { department: '44' } }]],
    ['a trade missing', partner({ trades: ['insulation'] }), job, [{ code: 'trades', details: { missing: ['plastering'] } }]],
    [
      'décennale ends before the works end',
      partner({ decennale: { validFrom: '2026-01-01', validUntil: '2027-01-20', coverage: 'France' } }),
      job,
      [{ code: 'decennale-period', details: { validFrom: '2026-01-01', validUntil: '2027-01-20' } }],
    ],
    [
      'décennale starts after the works start',
      partner({ decennale: { validFrom: '2027-01-12', validUntil: '2028-01-20', coverage: 'France' } }),
      job,
      [{ code: 'decennale-period', details: { validFrom: '2027-01-12', validUntil: '2028-01-20' } }],
    ],
    [
      'décennale does not cover the area',
      partner({ decennale: { validFrom: '2026-01-01', validUntil: '2027-12-31', coverage: 'Bretagne' } }),
      job,
      [{ code: 'decennale-area', details: { coverage: 'Bretagne' } }],
    ],
    ['no RGE for an energy renovation', partner(), energy, [{ code: 'rge-missing', details: { needed: ['attic-insulation'] } }]],
    [
      'RGE ending before the works end',
      partner({ rge: { ...rge, validUntil: '2027-01-15' } }),
      energy,
      [{ code: 'rge-expired', details: { validUntil: '2027-01-15' } }],
    ],
    [
      'RGE without the domain',
      partner({ rge: { ...rge, domains: ['windows'] } }),
      energy,
      [{ code: 'rge-domains', details: { missing: ['attic-insulation'] } }],
    ],
    ['RGE in the domain, valid: eligible', partner({ rge }), energy, []],
    ['RGE not asked for a job that is not an energy renovation', partner({ rge: undefined }), job, []],
  ] as const)('%s', (_, p, needs, reasons) => expect(exclusionsOf(p as PartnerProfile, needs)).toEqual(reasons));

  it('several reasons at once', () => {
    expect(exclusionsOf(partner({ departments: ['85'], trades: [] }), energy).map((r) => r.code)).toEqual([
      'department',
      'trades',
      'rge-missing',
    ]);
  });
});

describe('coverage of the décennale and département of the site', () => {
  it.each([
    ['France métropolitaine', '44', true],
    ['France métropolitaine', '972', false],
    ['France métropolitaine et outre-mer', '972', true],
    ['Pays de la Loire et Bretagne', '44', true],
    ['Pays de la Loire et Bretagne', '35', true],
    ['Pays-de-la-Loire', '85', true],
    ['Pays de la Loire', '33', false],
    ['Loire-Atlantique (44)', '44', true],
    ['Loire-Atlantique (44)', '85', false],
    ['Île-de-France', '75', true],
    ['Bretagne', '44', false],
    // A region named after France is not France; a département named after another is not that one.
    ['Île-de-France', '44', false],
    ['Hauts-de-France', '85', false],
    ['Loire-Atlantique (44)', '42', false],
    ['Maine-et-Loire', '44', false],
    ['Centre-Val de Loire', '44', false],
    // Départements by their names, overseas words, exceptions.
    ['Loire-Atlantique et Vendée', '44', true],
    ['Loire-Atlantique et Vendée', '85', true],
    ['Haute-Savoie', '74', true],
    ['Haute-Savoie', '73', false],
    ['DOM-TOM', '972', true],
    ['France entière', '974', true],
    ['France métropolitaine hors Corse', '2A', false],
    ['France métropolitaine hors Corse', '44', true],
    ['Toute la France sauf Paris (75)', '75', false],
  ])('%s covers %s: %s', (coverage, department, covered) => expect(departmentCovered(coverage, department)).toBe(covered));

  it.each([
    ['44200', '44'],
    ['01000', '01'],
    ['20000', '2A'],
    ['20200', '2B'],
    ['97200', '972'],
    ['4420', undefined],
  ])('%s is in %s', (postalCode, department) => expect(departmentOfPostalCode(postalCode)).toBe(department));
});

describe('matching: candidates ranked, the excluded with their reasons', () => {
  it('ranks the eligible seniors first and lists the others', () => {
    const partners = [
      partner({ id: 'par_b', legalName: 'B', technicians: { total: 9, aged45Plus: 5, aged45PlusWornOut: 3 }, registeredOn: '2025-02-03' }),
      partner({ id: 'par_c', legalName: 'C', technicians: { total: 5, aged45Plus: 4, aged45PlusWornOut: 3 }, registeredOn: '2025-09-15' }),
      partner({ id: 'par_d', legalName: 'D', technicians: { total: 9, aged45Plus: 6, aged45PlusWornOut: 3 }, registeredOn: '2024-06-01' }),
      partner({ id: 'par_e', legalName: 'E', trades: ['joinery'] }),
      partner({ id: 'par_f', legalName: 'F', technicians: { total: 9, aged45Plus: 6, aged45PlusWornOut: 1 } }),
    ];
    const result = matchPartners(partners, job, (id) => (id === 'par_f' ? 0 : 0));
    expect(result.candidates.map((c) => [c.rank, c.partnerId])).toEqual([
      [1, 'par_c'],
      [2, 'par_d'],
      [3, 'par_b'],
      [4, 'par_f'],
    ]);
    expect(result.excluded).toEqual([
      { partnerId: 'par_e', legalName: 'E', reasons: [{ code: 'trades', details: { missing: job.trades } }] },
    ]);
  });

  it('open offers spread the work between equals', () => {
    const partners = [partner({ id: 'par_a' }), partner({ id: 'par_b' })];
    const busy = matchPartners(partners, job, (id) => (id === 'par_a' ? 2 : 0));
    expect(busy.candidates.map((c) => c.partnerId)).toEqual(['par_b', 'par_a']);
    expect(busy.candidates[1]!.figures.openOffers).toBe(2);
  });

  it('no partner at all: no candidate, nothing excluded', () => {
    expect(matchPartners([], job, () => 0)).toEqual({ candidates: [], excluded: [] });
  });
});

describe('offers and commission', () => {
  it.each([
    [3, 0, 0, 1, [0]],
    [3, 1, 0, 1, [1]],
    [3, 1, 1, 1, []],
    [3, 0, 0, 2, [0, 1]],
    [3, 2, 1, 2, [2]],
    [3, 3, 0, 1, []],
    [0, 0, 0, 1, []],
  ])('%i candidates, %i offered, %i open, %i at once → %j', (candidates, offered, open, atOnce, next) =>
    expect(nextToOffer(candidates, offered, open, atOnce)).toEqual(next),
  );

  it('an offer is answerable while open and before its expiry', () => {
    expect(offerAnswerable({ state: 'open', expiresAt: '2026-12-02T10:00:00.000Z' }, '2026-12-02T09:59:59.999Z')).toBe(true);
    expect(offerAnswerable({ state: 'open', expiresAt: '2026-12-02T10:00:00.000Z' }, '2026-12-02T10:00:00.000Z')).toBe(false);
    expect(offerAnswerable({ state: 'withdrawn', expiresAt: '2026-12-02T10:00:00.000Z' }, '2026-12-01T10:00:00.000Z')).toBe(false);
  });

  it.each([
    [840_000, 1000, 84_000],
    [12_345, 1000, 1_235],
    [12_344, 1000, 1_234],
    [100_000, 850, 8_500],
    [0, 1000, 0],
  ])('commission of %i cents at %i bp: %i', (works, bp, cents) => expect(commissionCents(works, bp)).toBe(cents));
});

describe('commission rates and offer settings, effective-dated', () => {
  const rates = {
    territories: {
      '44': [
        { from: '2026-01-01', basisPoints: 1000, source: 'a' },
        { from: '2027-01-01', basisPoints: 900, source: 'b' },
      ],
    },
    agreements: { '52345678800018': [{ from: '2026-06-01', basisPoints: 700, source: 'accord' }] },
  };
  it.each([
    ['44', '11111111111111', '2026-12-31', 1000, 'territory'],
    ['44', '11111111111111', '2027-01-01', 900, 'territory'],
    ['44', '52345678800018', '2026-05-31', 1000, 'territory'],
    ['44', '52345678800018', '2026-06-01', 700, 'agreement'],
    ['85', '11111111111111', '2026-06-01', 1000, 'territory'],
  ])('%s, partner %s, on %s: %i bp (%s)', (etd, siret, day, basisPoints, kind) =>
    expect(commissionRateFor(etd, siret, day, rates)).toMatchObject({ basisPoints, kind }),
  );

  it('the configured tables: 10 % in 44, 8 % in 85; one offer at a time for 48 h by default', () => {
    expect(commissionRateFor('44', '11111111111111', '2026-12-01').basisPoints).toBe(1000);
    expect(commissionRateFor('85', '11111111111111', '2026-12-01').basisPoints).toBe(800);
    expect(offerSettingsFor('44', '2026-12-01')).toMatchObject({ offersAtOnce: 1, offerHours: 48 });
    expect(offerSettingsFor('2A', '2026-12-01')).toMatchObject({ offersAtOnce: 1, offerHours: 48 });
  });
});

describe('the partner fields matching reads (onboarding)', () => {
  const renov = demoPartners.find((p) => p.legalName === 'Rénov’Habitat Estuaire')!;
  it('a demo partner declares its technicians in wear-out and its registration day', () => {
    const parsed = CreatePartnerBody().parse(renov);
    expect(parsed.technicians.aged45PlusWornOut).toBe(3);
    expect(parsed.registeredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
  it.each([
    [{ total: 5, aged45Plus: 4, aged45PlusWornOut: 5 }, 'technicians.aged45PlusWornOut'],
    [{ total: 5, aged45Plus: 6, aged45PlusWornOut: 1 }, 'technicians.aged45Plus'],
    [{ total: 5, aged45Plus: 4, aged45PlusWornOut: -1 }, 'technicians.aged45PlusWornOut'],
  ])('technicians %j are refused, naming %s', (technicians, path) => {
    const result = CreatePartnerBody().safeParse({ ...renov, technicians });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
  it('a registration day that is not a date is refused, naming it', () => {
    const result = CreatePartnerBody().safeParse({ ...renov, registeredOn: '2025-02-30' });
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['registeredOn']);
  });
});
