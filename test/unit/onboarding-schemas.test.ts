import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CreateClientBody,
  CreateEntrepreneurBody,
  CreateEtdBody,
  CreatePartnerBody,
  PatchCaeLegalBody,
  PatchEntrepreneurBody,
} from '../../functions/onboarding/schemas.ts';
import { parseWith } from '../../functions/shared/validation.ts';
import { ValidationError } from '../../functions/shared/errors.ts';
import { demoClients, demoEntrepreneurs, demoEtds, demoPartners } from '../../infra/local/demo-data.ts';

/** The paths of the fields a body is refused for. */
function refusedPaths(schema: Parameters<typeof parseWith>[0], body: unknown): string[] {
  try {
    parseWith(schema, body);
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.path);
    throw error;
  }
  return [];
}

const etd = structuredClone(demoEtds[0]) as any;
const entrepreneur = structuredClone(demoEntrepreneurs[0]) as any;
const partner = structuredClone(demoPartners[1]) as any;
const company = structuredClone(demoClients[2].body) as any;

describe('demo data obeys the contract', () => {
  it.each(demoEtds.map((e) => [e.code, e]))('ETD %s', (_, body) => expect(refusedPaths(CreateEtdBody(), body)).toEqual([]));
  it.each(demoEntrepreneurs.map((e) => [e.email, e]))('entrepreneur %s', (_, body) =>
    expect(refusedPaths(CreateEntrepreneurBody(), body)).toEqual([]),
  );
  it.each(demoPartners.map((p) => [p.legalName, p]))('partner %s', (_, body) =>
    expect(refusedPaths(CreatePartnerBody(), body)).toEqual([]),
  );
  it.each(demoClients.map((c) => [c.body.kind, c.body]))('client %s', (_, body) =>
    expect(refusedPaths(CreateClientBody(), body)).toEqual([]),
  );
});

describe('bad input names the field', () => {
  it.each([
    ['bad département', { ...etd, code: '20' }, ['code']],
    ['bad SIRET (Luhn)', { ...etd, caes: { ...etd.caes, samad: { ...etd.caes.samad, siret: '90112233300016' } } }, ['caes.samad.siret']],
    [
      'VAT of another company',
      { ...etd, caes: { ...etd.caes, msg: { ...etd.caes.msg, vatNumber: etd.caes.samad.vatNumber } } },
      ['caes.msg.vatNumber'],
    ],
    [
      'bad postal code',
      { ...etd, caes: { ...etd.caes, samad: { ...etd.caes.samad, address: { ...etd.caes.samad.address, postalCode: '4400' } } } },
      ['caes.samad.address.postalCode'],
    ],
    [
      'negative capital',
      { ...etd, caes: { ...etd.caes, msg: { ...etd.caes.msg, shareCapitalCents: -1 } } },
      ['caes.msg.shareCapitalCents'],
    ],
    [
      'capital in euros with decimals',
      { ...etd, caes: { ...etd.caes, msg: { ...etd.caes.msg, shareCapitalCents: 15000.5 } } },
      ['caes.msg.shareCapitalCents'],
    ],
    ['unknown field', { ...etd, mayor: 'x' }, ['']],
    ['missing CAE', { ...etd, caes: { samad: etd.caes.samad } }, ['caes.msg']],
    ['over-long name', { ...etd, name: 'x'.repeat(81) }, ['name']],
    [
      'SAP licence of an unknown kind',
      {
        ...etd,
        caes: { ...etd.caes, samad: { ...etd.caes.samad, sapAuthorisation: { ...etd.caes.samad.sapAuthorisation, kind: 'licence' } } },
      },
      ['caes.samad.sapAuthorisation.kind'],
    ],
    [
      'SAP licence ending before it is granted',
      {
        ...etd,
        caes: {
          ...etd.caes,
          samad: { ...etd.caes.samad, sapAuthorisation: { ...etd.caes.samad.sapAuthorisation, validUntil: '2025-12-31' } },
        },
      },
      ['caes.samad.sapAuthorisation.validUntil'],
    ],
    [
      'SAP licence without its issuer',
      {
        ...etd,
        caes: { ...etd.caes, samad: { ...etd.caes.samad, sapAuthorisation: { ...etd.caes.samad.sapAuthorisation, issuer: undefined } } },
      },
      ['caes.samad.sapAuthorisation.issuer'],
    ],
  ])('ETD: %s', (_, body, paths) => expect(refusedPaths(CreateEtdBody(), body)).toEqual(paths));

  it('PATCH of a CAE’s legal data takes its agrément or autorisation', () => {
    const sapAuthorisation = {
      kind: 'agrement',
      number: 'SAP852111228',
      grantedOn: '2026-02-02',
      issuer: 'le préfet de la Vendée',
    };
    expect(PatchCaeLegalBody().parse({ version: 3, sapAuthorisation })).toEqual({ version: 3, sapAuthorisation });
    expect(refusedPaths(PatchCaeLegalBody(), { version: 3, sapAuthorisation: { ...sapAuthorisation, grantedOn: '02/02/2026' } })).toEqual([
      'sapAuthorisation.grantedOn',
    ]);
  });

  it.each([
    ['bad e-mail', { ...entrepreneur, email: 'martine@' }, ['email']],
    ['bad phone', { ...entrepreneur, phone: '12' }, ['phone']],
    ['no competence', { ...entrepreneur, competences: [] }, ['competences']],
    ['repeated competence', { ...entrepreneur, competences: ['tutor', 'tutor'] }, ['competences']],
    ['unknown pole', { ...entrepreneur, poles: ['gardening'] }, ['poles.0']],
    ['full birth date', { ...entrepreneur, birthYear: '1967-04-02' }, ['birthYear']],
    ['child', { ...entrepreneur, birthYear: new Date().getUTCFullYear() - 10 }, ['birthYear']],
    ['rate as string', { ...entrepreneur, hourlyRateCents: '20.85' }, ['hourlyRateCents']],
    ['state set by caller', { ...entrepreneur, state: 'active' }, ['']],
    ['unknown status', { ...entrepreneur, status: 'intern' }, ['status']],
    ['profile without visibility', { ...entrepreneur, publicProfile: { headline: 'x', missions: 'y' } }, ['publicProfile.visible']],
  ])('entrepreneur: %s', (_, body, paths) => expect(refusedPaths(CreateEntrepreneurBody(), body)).toEqual(paths));

  describe('birth year, counted in the Paris year', () => {
    afterEach(() => vi.useRealTimers());
    // From 2026-12-31T23:00Z it is 1 January 2027 in Paris: someone born in 2011 turns 16 that year.
    it.each([
      ['2026-12-31T22:59:59Z', 2010, []],
      ['2026-12-31T22:59:59Z', 2011, ['birthYear']],
      ['2026-12-31T23:00:00Z', 2011, []],
      ['2026-12-31T23:00:00Z', 1926, ['birthYear']],
      ['2026-12-31T22:59:59Z', 1926, []],
    ])('at %s, born %i: refused %j', (now, birthYear, paths) => {
      vi.useFakeTimers({ now: new Date(now), toFake: ['Date'] });
      expect(refusedPaths(CreateEntrepreneurBody(), { ...entrepreneur, birthYear })).toEqual(paths);
    });
  });

  it.each([
    ['no version', { phone: '0612345678' }, ['version']],
    ['only the version', { version: 1 }, ['']],
    ['state', { version: 1, state: 'active' }, ['', '']],
  ])('patch: %s', (_, body, paths) => expect(refusedPaths(PatchEntrepreneurBody(), body)).toEqual(paths));

  it.each([
    ['company with a bad SIRET', { ...company, siret: '49012345200017' }, ['siret']],
    ['company without SIRET', (({ siret: _s, ...rest }) => rest)(company), ['siret']],
    ['unknown kind', { ...company, kind: 'association' }, ['kind']],
    ['individual with company fields', { ...demoClients[0].body, legalName: 'x' }, ['']],
  ])('client: %s', (_, body, paths) => expect(refusedPaths(CreateClientBody(), body)).toEqual(paths));

  it.each([
    [
      'insurance ending before it starts',
      { ...partner, decennale: { ...partner.decennale, validUntil: '2025-01-01' } },
      ['decennale.validUntil'],
    ],
    ['more seniors than technicians', { ...partner, technicians: { total: 2, aged45Plus: 3 } }, ['technicians.aged45Plus']],
    ['unknown trade', { ...partner, trades: ['gardening'] }, ['trades.0']],
    ['bad department', { ...partner, departments: ['44', '99'] }, ['departments.1']],
    ['not a date', { ...partner, rge: { ...partner.rge, validUntil: '30/06/2027' } }, ['rge.validUntil']],
  ])('partner: %s', (_, body, paths) => expect(refusedPaths(CreatePartnerBody(), body)).toEqual(paths));
});

describe('normalisation', () => {
  it('stores e-mails lower-case and phones in E.164', () => {
    const parsed = CreateEntrepreneurBody().parse({ ...entrepreneur, email: ' Martine.Leroux@Example.org ', phone: '06 12 34 56 78' });
    expect(parsed.email).toBe('martine.leroux@example.org');
    expect(parsed.phone).toBe('+33612345678');
  });
});
