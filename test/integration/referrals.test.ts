/**
 * Referrals on a real DynamoDB Local with the local adapters and the demo directory: the demo
 * referral's matching (candidates in the expected order, exclusions with their French reasons),
 * offers e-mailed with their link, decline and expiry moving to the next candidate, a race of two
 * acceptances leaving one winner, the works to completion and the commission invoice issued and
 * payable, another partner's reach refused, bad input named. Each test runs in a world of its own.
 */
import { rmSync } from 'node:fs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpLocalTables, uniquePrefix } from '../support/local-tables.ts';
import { acceptedQuote, installLocalAdapters, manager44, manager85, operator, seedInvoicingWorld } from '../support/invoicing.ts';
import * as directory from '../../functions/onboarding/service.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { adapters } from '../../functions/shared/adapters.ts';
import { documentClient } from '../../functions/shared/dynamo.ts';
import { NotFoundError, ValidationError } from '../../functions/shared/errors.ts';
import { readOutbox } from '../../infra/local/adapters.ts';
import { usePdfReader } from '../support/pdf-text.ts';
import { demoReferral } from '../../infra/local/demo-data.ts';
import { seedDemo } from '../../infra/local/seed.ts';
import { loadInvoice } from '../../functions/invoices/index.ts';
import { referralFiguresByEtd } from '../../functions/referrals/index.ts';
import { OpenDraftBody, OpenReferralBody, TransitionBody } from '../../functions/referrals/schemas.ts';
import {
  draftFromQuote,
  getReferral,
  listReferrals,
  openDraft,
  openReferral,
  present,
  retryCommission,
  transition,
} from '../../functions/referrals/service.ts';
import { keys as directoryKeys, table as directoryTable } from '../../functions/onboarding/store.ts';
import {
  acceptOffer,
  declineOffer,
  expireOffers,
  offerToken,
  offerView,
  OfferClosedError,
  partnerReferrals,
} from '../../functions/referrals/offers.ts';
import { findOffer, keys, offerOfToken, table } from '../../functions/referrals/store.ts';

const now = new Date('2026-11-30T09:00:00Z');
const readPdf = usePdfReader('referrals');
const later = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
let dataDir: string;
let garnier: Principal;
let body: ReturnType<ReturnType<typeof OpenReferralBody>['parse']>;
const partnerIds: Record<string, string> = {};

beforeEach(async () => {
  await setUpLocalTables(uniquePrefix('referrals'));
  dataDir = installLocalAdapters();
  await seedDemo(now);
  const es = await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 });
  const sophie = es.items.find((e) => e.lastName === 'Garnier')!;
  garnier = { sub: 'es-garnier', role: 'entrepreneur', etd: '44', entityId: sophie.id };
  const clients = await directory.listClients(garnier, { limit: 10 });
  const moreau = clients.items.find((c) => c.kind === 'individual' && c.lastName === 'Moreau')!;
  body = OpenReferralBody().parse({ ...demoReferral, clientId: moreau.id });
  for (const p of (await directory.listPartners(operator, { department: '44', limit: 20 })).items) partnerIds[p.legalName] = p.id;
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const partner = (name: string): Principal => ({ sub: `par-${name}`, role: 'partner', entityId: partnerIds[name]! });
const offerOf = async (referralId: string, name: string) => (await findOffer(referralId, partnerIds[name]!))!;

const RENOV = 'Rénov’Habitat Estuaire';
const ERDRE = 'Les Compagnons Plâtriers de l’Erdre';
const BOCAGE = 'Isolation Bocage Rénovation';

describe('the demo referral', () => {
  it('matches the expected partners in the expected order, says why the others are out, and offers to the first', async () => {
    const referral = await openReferral(adapters(), garnier, body, now);
    expect(referral.state).toBe('open');
    expect(referral.candidates.map((c) => [c.rank, c.legalName, c.figures.wornOut, c.figures.technicians])).toEqual([
      [1, RENOV, 3, 5],
      [2, ERDRE, 3, 9],
      [3, BOCAGE, 3, 9],
    ]);
    // Compagnons before Bocage: same count and share, no open offer either, registered earlier (2024-06-01 < 2025-02-03).
    expect(referral.candidates[1]!.figures.registeredOn < referral.candidates[2]!.figures.registeredOn).toBe(true);
    const view = await present(referral);
    expect(view.excluded.map((e) => [e.legalName, e.reasons.map((r) => r.code)])).toEqual([
      ['Isolation Côte de Jade', ['decennale-period']],
      ['Menuiserie Atlantique SARL', ['trades', 'decennale-period', 'rge-missing']],
      ['Peintures et Plâtres du Sillon', ['rge-missing']],
    ]);
    expect(view.excluded[0]!.reasons[0]!.reason).toBe(
      'Assurance décennale non valable sur toute la durée des travaux (valable du 1er janvier 2026 au 31 décembre 2026).',
    );
    expect(view.excluded[2]!.reasons[0]!.reason).toContain('Isolation des combles perdus');
    expect(view.trades).toEqual([
      { code: 'insulation', label: 'Isolation' },
      { code: 'plastering', label: 'Plâtrerie' },
    ]);
    expect(view.offers.map((o) => [o.legalName, o.state])).toEqual([[RENOV, 'open']]);
    const mails = readOutbox(dataDir).filter((m) => m.subject.startsWith('Chantier proposé'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toContain('renovhabitat-estuaire');
    expect(mails[0]!.text).toContain('Métiers\u00a0: Isolation, Plâtrerie.');
    expect(mails[0]!.text).toContain('en priorité parce que votre entreprise emploie des techniciens de 45\u00a0ans');
    expect(mails[0]!.text).not.toContain('insulation');
    const token = await offerToken(adapters(), referral.id, partnerIds[RENOV]!);
    expect(mails[0]!.text).toContain(`/r/${token}`);
    expect((await offerOfToken(token))!.partnerId).toBe(partnerIds[RENOV]);
    // The page proposes the wished start, or today once it is past.
    const offer = await offerOf(referral.id, RENOV);
    expect((await offerView(adapters(), offer, now)).earliestStart).toBe(body.startDate);
    expect((await offerView(adapters(), offer, new Date('2027-01-20T10:00:00Z'))).earliestStart).toBe('2027-01-20');
  });

  it('a decline and an expiry move to the next candidate; then acceptance, works, commission invoiced and payable; impact counted', async () => {
    const referral = await openReferral(adapters(), garnier, body, now);
    await declineOffer(adapters(), await offerOf(referral.id, RENOV), 'Équipes prises en janvier', later(1));
    expect((await offerOf(referral.id, RENOV)).state).toBe('declined');
    expect((await offerOf(referral.id, ERDRE)).state).toBe('open');
    // Not yet due: the job changes nothing.
    expect(await expireOffers(adapters(), later(2))).toEqual({ expired: 0, offered: 0, skipped: 0 });
    expect(await expireOffers(adapters(), later(50))).toEqual({ expired: 1, offered: 1, skipped: 0 });
    expect((await offerOf(referral.id, ERDRE)).state).toBe('expired');
    expect(readOutbox(dataDir).some((m) => m.subject.startsWith('Aucun partenaire'))).toBe(false);
    const bocageOffer = await offerOf(referral.id, BOCAGE);
    expect(bocageOffer.state).toBe('open');
    // The expired offer can no longer be accepted, and nothing changes.
    await expect(acceptOffer(adapters(), await offerOf(referral.id, ERDRE), '2027-01-11', later(51))).rejects.toMatchObject({
      reason: 'expired',
    });

    await acceptOffer(adapters(), bocageOffer, '2027-01-12', later(52));
    const bocage = partner(BOCAGE);
    const list = await partnerReferrals(adapters(), bocage, { limit: 10 }, later(52));
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.client).toMatchObject({ name: 'Jean Moreau', site: { city: 'Nantes', postalCode: '44200' } });
    // Another partner sees neither the client nor the referral.
    const renov = await partnerReferrals(adapters(), partner(RENOV), { limit: 10 }, later(52));
    expect(renov.items[0]!.client).toBeUndefined();
    await expect(
      transition(adapters(), partner(RENOV), referral.id, TransitionBody().parse({ to: 'in_progress' }), later(53)),
    ).rejects.toBeInstanceOf(NotFoundError);

    await transition(adapters(), bocage, referral.id, TransitionBody().parse({ to: 'in_progress' }), later(60));
    const done = await transition(
      adapters(),
      manager44,
      referral.id,
      TransitionBody().parse({ to: 'completed', techniciansAged45Plus: 3, worksAmountCents: 850_000 }),
      later(400),
    );
    expect(done.state).toBe('completed');
    expect(done.commission).toMatchObject({ basisPoints: 1000, amountCents: 85_000 });
    expect(done.commission!.number).toMatch(/^F-MSG44-\d{4}-\d{6}$/);
    const invoice = await loadInvoice(done.commission!.invoiceId!);
    expect(invoice).toMatchObject({ state: 'issued', cae: 'MSG', clientId: partnerIds[BOCAGE], amountDueCents: 102_000 });
    expect(invoice.totals).toMatchObject({ netCents: 85_000, grossCents: 102_000 });
    expect(done.commission!.payUrl).toMatch(/\/pay\/[A-Za-z0-9_-]{43}$/);
    // The PDF: a business client's invoice (SIREN and SIRET, 40 € recovery indemnity, penalty rate), in French.
    const pdf = readPdf(await adapters().documents.get(invoice.documentKey!)).raw;
    expect(pdf).toContain('Commission d’apport d’affaires');
    expect(pdf).toContain('Isolation Bocage Rénovation');
    expect(pdf).toMatch(/SIREN 523 456 788/);
    expect(pdf).toContain('40 €');
    expect(pdf).toContain('CAE MSG Loire-Atlantique');
    const mail = readOutbox(dataDir).find((m) => m.subject.includes(String(done.commission!.number)))!;
    expect(mail.to).toContain('isolation-bocage');
    expect(mail.text).toContain(done.commission!.payUrl!);
    // Completing again is refused; the commission is not invoiced twice.
    await expect(
      transition(adapters(), manager44, referral.id, TransitionBody().parse({ to: 'completed', techniciansAged45Plus: 3 }), later(401)),
    ).rejects.toMatchObject({ status: 409 });

    const figures = [];
    for await (const f of referralFiguresByEtd()) figures.push(f);
    expect(figures.find((f) => f.etd === '44')!.figures).toEqual({
      opened: 1,
      accepted: 1,
      completed: 1,
      worksAmountCents: 850_000,
      techniciansAged45Plus: 3,
    });
  });

  it('without technicians in wear-out anywhere, the fewest open offers decide and the e-mail claims no seniors’ priority', async () => {
    // Matching reads the partner's copy per département (onboarding's store).
    for (const name of [RENOV, ERDRE, BOCAGE])
      await documentClient().send(
        new UpdateCommand({
          TableName: directoryTable(),
          Key: directoryKeys.partnerDepartment(partnerIds[name]!, '44'),
          UpdateExpression: 'SET technicians.aged45PlusWornOut = :zero',
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      );
    const referral = await openReferral(adapters(), garnier, body, now);
    expect(referral.candidates.map((c) => c.figures.wornOut)).toEqual([0, 0, 0]);
    const mail = readOutbox(dataDir).find((m) => m.subject.startsWith('Chantier proposé'))!;
    expect(mail.text).not.toContain('en priorité');
  });

  it('two partners accepting at once: one wins, the other is told and its offer withdrawn', async () => {
    const referral = await openReferral(adapters(), garnier, body, now);
    // Two offers at a time from here on (as a territory may configure).
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.referral(referral.id),
        UpdateExpression: 'SET offersAtOnce = :two',
        ExpressionAttributeValues: { ':two': 2 },
      }),
    );
    await declineOffer(adapters(), await offerOf(referral.id, RENOV), undefined, later(1));
    const [erdre, bocage] = [await offerOf(referral.id, ERDRE), await offerOf(referral.id, BOCAGE)];
    expect([erdre.state, bocage.state]).toEqual(['open', 'open']);
    const results = await Promise.allSettled([
      acceptOffer(adapters(), erdre, '2027-01-11', later(2)),
      acceptOffer(adapters(), bocage, '2027-01-11', later(2)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(OfferClosedError);
    expect(['taken', 'withdrawn']).toContain(lost.reason.reason);
    const after = await getReferral(manager44, referral.id);
    expect(after.state).toBe('accepted');
    const winner = after.acceptedPartnerId === partnerIds[ERDRE] ? ERDRE : BOCAGE;
    const loser = winner === ERDRE ? BOCAGE : ERDRE;
    expect((await offerOf(referral.id, winner)).state).toBe('accepted');
    expect((await offerOf(referral.id, loser)).state).toBe('withdrawn');
    expect(readOutbox(dataDir).some((m) => m.subject.startsWith('Chantier attribué'))).toBe(true);
  });
});

describe('the commission', () => {
  it('is kept pending when it cannot be issued at completion, then issued once on demand', async () => {
    const referral = await openReferral(adapters(), garnier, body, now);
    await acceptOffer(adapters(), await offerOf(referral.id, RENOV), '2027-01-11', later(1));
    await transition(adapters(), manager44, referral.id, TransitionBody().parse({ to: 'in_progress' }), later(2));
    // The partner's record lost its address (an old record): the invoice cannot carry it.
    const partnerKey = directoryKeys.partner(partnerIds[RENOV]!);
    const { Item } = await documentClient().send(new GetCommand({ TableName: directoryTable(), Key: partnerKey }));
    await documentClient().send(new UpdateCommand({ TableName: directoryTable(), Key: partnerKey, UpdateExpression: 'REMOVE address' }));
    const done = await transition(
      adapters(),
      manager44,
      referral.id,
      TransitionBody().parse({ to: 'completed', techniciansAged45Plus: 2 }),
      later(3),
    );
    expect(done.state).toBe('completed');
    expect(done.commission).toMatchObject({ basisPoints: 1000, amountCents: 84_000 });
    expect(done.commission!.invoiceId).toBeUndefined();
    await expect(retryCommission(adapters(), manager44, referral.id, later(4))).rejects.toMatchObject({ status: 409 });
    await expect(retryCommission(adapters(), garnier, referral.id, later(4))).rejects.toMatchObject({ status: 403 });
    await documentClient().send(
      new UpdateCommand({
        TableName: directoryTable(),
        Key: partnerKey,
        UpdateExpression: 'SET address = :a',
        ExpressionAttributeValues: { ':a': Item!.address },
      }),
    );
    const invoiced = await retryCommission(adapters(), manager44, referral.id, later(5));
    expect(invoiced.commission!.number).toMatch(/^F-MSG44-/);
    const again = await retryCommission(adapters(), manager44, referral.id, later(6));
    expect(again.commission!.invoiceId).toBe(invoiced.commission!.invoiceId);
    expect(readOutbox(dataDir).filter((m) => m.subject.includes(String(invoiced.commission!.number)))).toHaveLength(1);
  });
});

describe('a draft from an accepted quote', () => {
  it('QuoteAccepted drafts the referral once per quote; stating its needs matches and offers it', async () => {
    const world = await seedInvoicingWorld(dataDir, now);
    const quote = await acceptedQuote(world, now);
    const detail = {
      quoteId: quote.id,
      number: String(quote.number),
      revision: quote.revision,
      etd: quote.etd,
      cae: quote.cae,
      entrepreneurId: quote.entrepreneurId,
      clientId: quote.clientId,
      totals: quote.totals,
    };
    const first = await draftFromQuote(detail, now);
    expect(await draftFromQuote(detail, later(1))).toEqual(first);
    expect(await draftFromQuote({ ...detail, cae: 'SAMAD' }, now)).toEqual({ skipped: 'not a works quote of the CAE MSG' });
    const draft = await getReferral(garnier, first.referralId!);
    expect(draft).toMatchObject({
      state: 'draft',
      quoteId: quote.id,
      clientId: quote.clientId,
      estimatedAmountCents: quote.totals.netCents,
    });
    const needs = OpenDraftBody().parse({
      title: draft.title,
      description: 'Isolation des combles perdus et fenêtre de la cuisine',
      trades: ['insulation'],
      energyRenovation: true,
      rgeDomains: ['attic-insulation'],
      estimatedAmountCents: quote.totals.netCents,
      startDate: '2027-02-01',
      endDate: '2027-02-12',
    });
    const opened = await openDraft(adapters(), garnier, draft.id, needs, later(2));
    expect(opened.state).toBe('open');
    expect(opened.candidates.map((c) => c.legalName)[0]).toBe(RENOV);
    await expect(openDraft(adapters(), garnier, draft.id, needs, later(3))).rejects.toMatchObject({
      status: 409,
    });
    // The quote's referral is unique: opening another one from it is refused, naming the field.
    await expect(openReferral(adapters(), garnier, { ...body, quoteId: quote.id }, now)).rejects.toMatchObject({ status: 409 });
  });
});

describe('bad input', () => {
  it.each([
    [
      'a site outside the territory',
      { site: { line1: '3 place Napoléon', postalCode: '85000', city: 'La Roche-sur-Yon' } },
      'site.postalCode',
    ],
    ['a start in the past', { startDate: '2026-11-01' }, 'startDate'],
  ])('%s is refused, naming the field', async (_, change, path) => {
    const error = await openReferral(adapters(), garnier, { ...body, ...change }, now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.path)).toEqual([path]);
  });

  it.each([
    [{ trades: ['insulation', 'nonsense'] }, 'trades.1'],
    [{ endDate: '2027-01-01' }, 'endDate'],
    [{ energyRenovation: true, rgeDomains: undefined }, 'rgeDomains'],
  ])('schema: %j names %s', (change, path) => {
    const result = OpenReferralBody().safeParse({ ...demoReferral, clientId: body.clientId, ...change });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('an energy renovation no partner is qualified for stays open, and says why', async () => {
    const referral = await openReferral(adapters(), garnier, { ...body, rgeDomains: ['heat-pump'] }, now);
    expect(referral.state).toBe('open');
    expect(referral.candidates).toEqual([]);
    const view = await present(referral);
    expect(view.offers).toEqual([]);
    expect(view.excluded.find((e) => e.legalName === RENOV)!.reasons[0]!.reason).toContain('Pompe à chaleur');
    // The entrepreneur who brought it is told why, in French.
    const mail = readOutbox(dataDir).find((m) => m.subject.startsWith('Aucun partenaire'))!;
    expect(mail.to).toContain('garnier');
    expect(mail.text).toContain('Rénov’Habitat Estuaire\u00a0: Qualification RGE sans le ou les domaines demandés\u00a0: Pompe à chaleur.');
  });

  it('cancelling accepted works tells the partner, whose list shows it', async () => {
    const referral = await openReferral(adapters(), garnier, body, now);
    await acceptOffer(adapters(), await offerOf(referral.id, RENOV), '2027-01-11', later(1));
    await transition(
      adapters(),
      manager44,
      referral.id,
      TransitionBody().parse({ to: 'cancelled', reason: 'Le client renonce' }),
      later(2),
    );
    const mail = readOutbox(dataDir).find((m) => m.subject.startsWith('Chantier annulé'))!;
    expect(mail.to).toContain('renovhabitat-estuaire');
    expect(mail.text).toContain('Motif\u00a0: Le client renonce.');
    const list = await partnerReferrals(adapters(), partner(RENOV), { limit: 10 }, later(3));
    expect(list.items[0]).toMatchObject({ state: 'accepted', referralState: 'cancelled' });
    // The works are off: the client's contact is no longer shown to the partner.
    expect(list.items[0]!.client).toBeUndefined();
    await expect(
      transition(adapters(), manager44, referral.id, TransitionBody().parse({ to: 'in_progress' }), later(4)),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('every candidate declining: the referral stays open and its entrepreneur is told', async () => {
    const referral = await openReferral(adapters(), garnier, body, now);
    for (const [i, name] of [RENOV, ERDRE, BOCAGE].entries())
      await declineOffer(adapters(), await offerOf(referral.id, name), undefined, later(i + 1));
    expect((await getReferral(manager44, referral.id)).state).toBe('open');
    const mails = readOutbox(dataDir).filter((m) => m.subject.startsWith('Aucun partenaire'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Les 3 entreprises retenues ont refusé le chantier ou n’ont pas répondu à temps.');
  });

  it('a partner reading another partner’s referral: 404', async () => {
    const referral = await openReferral(adapters(), garnier, body, now);
    await expect(getReferral(partner(RENOV), referral.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('another territory’s manager neither reads, moves nor lists the referral (404)', async () => {
    const referral = await openReferral(adapters(), garnier, body, now);
    await expect(getReferral(manager85, referral.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      transition(adapters(), manager85, referral.id, TransitionBody().parse({ to: 'cancelled', reason: 'test' }), later(1)),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(listReferrals(manager85, { etd: '44', limit: 10 })).rejects.toBeInstanceOf(NotFoundError);
    expect((await listReferrals(manager85, { limit: 10 })).items).toEqual([]);
    expect((await getReferral(manager44, referral.id)).state).toBe('open');
  });

  it('past its expiry an offer the job has not reached yet can be neither accepted nor declined, and nothing changes', async () => {
    const referral = await openReferral(adapters(), garnier, body, now);
    const offer = await offerOf(referral.id, RENOV);
    await expect(acceptOffer(adapters(), offer, '2027-01-11', later(48))).rejects.toMatchObject({ reason: 'expired' });
    await expect(declineOffer(adapters(), offer, undefined, later(49))).rejects.toMatchObject({ reason: 'expired' });
    expect((await offerOf(referral.id, RENOV)).state).toBe('open');
    expect(await findOffer(referral.id, partnerIds[ERDRE]!)).toBeUndefined();
    expect((await getReferral(manager44, referral.id)).state).toBe('open');
  });

  it('a planned start in the past is refused and changes nothing', async () => {
    const referral = await openReferral(adapters(), garnier, body, now);
    await expect(acceptOffer(adapters(), await offerOf(referral.id, RENOV), '2026-11-29', later(1))).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect((await offerOf(referral.id, RENOV)).state).toBe('open');
    expect((await getReferral(manager44, referral.id)).state).toBe('open');
  });
});
