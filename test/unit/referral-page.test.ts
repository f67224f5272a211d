/** The partner's offer page (pure rendering): French labels, no client before acceptance, escaping, the refusals in French. */
import { describe, expect, it } from 'vitest';
import { PageError } from '../../functions/shared/page.ts';
import { exclusionReason } from '../../functions/referrals/domain/labels.ts';
import { acceptOffer, OfferClosedError, showable, type OfferView } from '../../functions/referrals/offers.ts';
import { DeclineForm } from '../../functions/referrals/schemas.ts';
import { ValidationError } from '../../functions/shared/errors.ts';
import { asPageError, renderDeclined, renderOfferPage } from '../../functions/referrals/page.ts';
import type { OfferRecord, ReferralRecord } from '../../functions/referrals/store.ts';
import { demoReferral } from '../../infra/local/demo-data.ts';

const offer: OfferRecord = {
  referralId: 'ref_1',
  partnerId: 'par_1',
  legalName: 'Rénov’Habitat <Estuaire>',
  etd: '44',
  rank: 1,
  figures: { wornOut: 3, technicians: 5, wornOutShareBasisPoints: 6000, openOffers: 0, registeredOn: '2025-09-15' },
  state: 'open',
  offeredAt: '2026-11-30T09:00:00.000Z',
  expiresAt: '2026-12-02T09:00:00.000Z',
};

/** The demo referral, with a description that must be escaped. */
const referral = {
  ...demoReferral,
  id: 'ref_1',
  etd: '44',
  entrepreneurId: 'ent_1',
  clientId: 'cli_1',
  title: 'Isolation des combles',
  description: 'Combles <perdus>\nEnviron 90 m²',
  department: '44',
  state: 'open',
} as unknown as ReferralRecord;

const view = (o: Partial<OfferRecord> = {}, client?: OfferView['client']): OfferView => ({
  offer: { ...offer, ...o },
  referral,
  client,
  partnerName: offer.legalName,
  actionBase: 'https://api.oui-ensemble.fr/r/tok',
  earliestStart: '2027-01-11',
});

describe('offer page', () => {
  it('shows the job in French, trades and RGE domains by their labels, no client, the forms, no script', () => {
    const html = renderOfferPage(view());
    expect(html).toContain('<li>Isolation</li><li>Plâtrerie</li>');
    expect(html).toContain('Isolation des combles perdus');
    expect(html).not.toMatch(/>\s*(insulation|plastering|attic-insulation)\s*</);
    expect(html).toContain('8\u202f400,00\u00a0€ HT');
    expect(html).toContain('du 11 janvier 2027 au 29 janvier 2027');
    expect(html).not.toContain('21 rue du Port');
    expect(html).toContain('action="https://api.oui-ensemble.fr/r/tok/accept"');
    expect(html).toContain('action="https://api.oui-ensemble.fr/r/tok/decline"');
    expect(html).toContain('min="2027-01-11" value="2027-01-11"');
    expect(html).toContain('elle arrive en 1re position');
    expect(renderOfferPage(view({ rank: 3 }))).toContain('elle arrive en 3e position');
    // Once the wished start is past, the page proposes today (a past date would be refused).
    expect(renderOfferPage({ ...view(), earliestStart: '2027-01-20' })).toContain('min="2027-01-20" value="2027-01-20"');
    expect(html).toContain('Combles &lt;perdus&gt;<br>Environ 90 m²');
    expect(html).toContain('Rénov’Habitat &lt;Estuaire&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it('once accepted: the client’s contact and the site, no form', () => {
    const html = renderOfferPage(
      view({ state: 'accepted', decidedAt: '2026-11-30T10:00:00.000Z', plannedStart: '2027-01-12' }, {
        kind: 'individual',
        firstName: 'Jean',
        lastName: 'Moreau',
        email: 'jean.moreau@example.org',
      } as OfferView['client']),
    );
    expect(html).toContain('Chantier accepté');
    expect(html).toContain('Jean Moreau');
    expect(html).toContain('jean.moreau@example.org');
    expect(html).toContain('21 rue du Port<br>44200 Nantes');
    expect(html).toContain('Début prévu\u00a0: 12 janvier 2027');
    expect(html).not.toContain('<form');
  });

  it('the decline acknowledgement', () => expect(renderDeclined(view())).toContain('Votre refus est bien enregistré'));

  it('accepted works cancelled since: the page says so with the reason, and no longer shows the client', () => {
    const cancelled = {
      ...view({ state: 'accepted', decidedAt: '2026-11-30T10:00:00.000Z' }),
      referral: { ...referral, state: 'cancelled', cancelledAt: '2026-12-01T10:00:00.000Z', cancelReason: 'Le client renonce' },
    } as OfferView;
    const html = renderOfferPage(cancelled);
    expect(html).toContain('<h1>Chantier annulé\u00a0: Isolation des combles</h1>');
    expect(html).toContain('a été annulé le 1er décembre 2026');
    expect(html).toContain('Motif\u00a0: Le client renonce');
    expect(html).not.toContain('Contactez le client');
    expect(html).not.toContain('<form');
  });

  it.each([
    ['expired', 410, 'Proposition expirée'],
    ['withdrawn', 410, 'Proposition retirée'],
    ['taken', 409, 'Chantier déjà attribué'],
    ['declined', 409, 'Proposition déjà refusée'],
    ['accepted', 409, 'Chantier déjà accepté'],
  ] as const)('a closed offer (%s) is a %i page: %s', (reason, status, title) => {
    const page = asPageError(new OfferClosedError(reason)) as PageError;
    expect(page).toBeInstanceOf(PageError);
    expect([page.status, page.titleFr]).toEqual([status, title]);
  });
});

describe('what the page shows', () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    ['open, before its expiry', {}, '2026-12-02T08:59:59.999Z', undefined],
    ['open, at its expiry (the job has not run yet)', {}, '2026-12-02T09:00:00.000Z', 'expired'],
    ['accepted, long after', { state: 'accepted' }, '2027-06-01T00:00:00.000Z', undefined],
    ['declined', { state: 'declined' }, '2026-12-01T00:00:00.000Z', 'declined'],
    ['withdrawn', { state: 'withdrawn' }, '2026-12-01T00:00:00.000Z', 'withdrawn'],
    ['expired by the job', { state: 'expired' }, '2026-12-03T00:00:00.000Z', 'expired'],
  ] as const)('%s', (_, change, now, reason) => {
    const o = { ...offer, ...change } as OfferRecord;
    if (reason === undefined) expect(showable(o, at(now))).toBe(o);
    else expect(() => showable(o, at(now))).toThrow(expect.objectContaining({ reason }));
  });
});

describe('accepting with a planned start in the past', () => {
  it('is refused before anything is read or written, as a French 400 page', async () => {
    const error = await acceptOffer({} as never, offer, '2026-11-29', new Date('2026-11-30T09:00:00Z')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['plannedStart']);
    const page = asPageError(error) as PageError;
    expect([page.status, page.titleFr]).toEqual([400, 'Date de début passée']);
  });
});

/** Text a person reads: a plain space before a high punctuation mark or inside a number is wrong in French. */
const badSpacing = (text: string) =>
  text
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, '')
    .match(/\S [:;!?»]|« |\d \d{3}/g) ?? [];

describe('French typography of every page and message', () => {
  const client = { kind: 'individual', firstName: 'Jean', lastName: 'Moreau', phone: '06 12 34 56 78' } as OfferView['client'];
  const cancelled = {
    ...view({ state: 'accepted' }),
    referral: { ...referral, state: 'cancelled', cancelledAt: '2026-12-01T10:00:00.000Z', cancelReason: 'Le client renonce' },
  } as OfferView;
  const closed = ['expired', 'withdrawn', 'taken', 'declined', 'accepted'] as const;
  it.each<[string, string]>([
    ['offer page', renderOfferPage(view())],
    [
      'accepted page',
      renderOfferPage(view({ state: 'accepted', decidedAt: '2026-11-30T10:00:00.000Z', plannedStart: '2027-01-12' }, client)),
    ],
    ['cancelled page', renderOfferPage(cancelled)],
    ['declined page', renderDeclined(view())],
    ...closed.map((reason): [string, string] => [`${reason} page`, (asPageError(new OfferClosedError(reason)) as PageError).messageFr]),
    ['past planned start', (asPageError(new ValidationError([{ path: 'plannedStart', message: 'x' }])) as PageError).messageFr],
    ...DeclineForm()
      .safeParse({ reason: `a\u0000${'b'.repeat(1001)}` })
      .error!.issues.map((i): [string, string] => ['decline form', i.message]),
    ['decline form (too long)', DeclineForm().safeParse({ reason: 'b'.repeat(1001) }).error!.issues[0]!.message],
  ])('%s: no plain space before « : ; ! ? » nor inside a number', (_, text) => {
    expect(text.length).toBeGreaterThan(0);
    expect(badSpacing(text)).toEqual([]);
  });

  it('the check itself catches a plain space', () => expect(badSpacing('Motif : 1 000 €')).toEqual(['f :', '1 000']));
});

describe('exclusion reasons in French', () => {
  it.each([
    [{ code: 'department', details: { department: '44' } }, 'N’intervient pas dans le département 44.'],
    [
      { code: 'trades', details: { missing: ['insulation', 'plastering'] } },
      'Ne déclare pas le ou les métiers demandés\u00a0: Isolation et Plâtrerie.',
    ],
    [
      { code: 'decennale-area', details: { coverage: 'Bretagne' } },
      'Assurance décennale ne couvrant pas le lieu du chantier (couverture\u00a0: Bretagne).',
    ],
    [
      { code: 'rge-expired', details: { validUntil: '2027-01-01' } },
      'Qualification RGE expirée avant la fin des travaux (valable jusqu’au 1er janvier 2027).',
    ],
    [
      { code: 'rge-domains', details: { missing: ['heat-pump'] } },
      'Qualification RGE sans le ou les domaines demandés\u00a0: Pompe à chaleur.',
    ],
  ] as const)('%j', (exclusion, text) => expect(exclusionReason(exclusion as never)).toBe(text));
});
