/** The partner's offer page (pure rendering): French labels, no client before acceptance, escaping, the refusals in French. */
import { describe, expect, it } from 'vitest';
import { PageError } from '../../functions/shared/page.ts';
import { exclusionReason } from '../../functions/referrals/domain/labels.ts';
import { OfferClosedError, type OfferView } from '../../functions/referrals/offers.ts';
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

describe('exclusion reasons in French', () => {
  it.each([
    [{ code: 'department', details: { department: '44' } }, 'N’intervient pas dans le département 44.'],
    [
      { code: 'trades', details: { missing: ['insulation', 'plastering'] } },
      'Ne déclare pas le ou les métiers demandés : Isolation et Plâtrerie.',
    ],
    [
      { code: 'decennale-area', details: { coverage: 'Bretagne' } },
      'Assurance décennale ne couvrant pas le lieu du chantier (couverture : Bretagne).',
    ],
    [
      { code: 'rge-expired', details: { validUntil: '2027-01-01' } },
      'Qualification RGE expirée avant la fin des travaux (valable jusqu’au 1er janvier 2027).',
    ],
    [{ code: 'rge-domains', details: { missing: ['heat-pump'] } }, 'Qualification RGE sans le ou les domaines demandés : Pompe à chaleur.'],
  ] as const)('%j', (exclusion, text) => expect(exclusionReason(exclusion as never)).toBe(text));
});
