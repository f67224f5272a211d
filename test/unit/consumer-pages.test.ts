/**
 * The client's pages of issue 9: the consumer's rights and the optional early-start request on the
 * quote page, the withdrawal offered on the accepted quote within the 14 days and its
 * acknowledgement, the pay page that takes no payment before the 8th day of an off-premises contract.
 */
import { describe, expect, it } from 'vitest';
import { renderAccepted, renderQuotePage, renderWithdrawn } from '../../functions/quotes/page.ts';
import type { QuotePage } from '../../functions/quotes/views.ts';
import { renderPayPage, type PayPage } from '../../functions/payments/page.ts';

const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<\/?(span|strong|a)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[\s\u00a0\u202f]+/g, ' ');

const mediator = {
  name: 'Médiation de la consommation de l’économie sociale (fictive)',
  website: 'https://mediation-consommation.example.org',
};
const view: QuotePage = {
  number: 'D-MSG44-2026-000123',
  revision: 2,
  title: 'Rénovation énergétique',
  issuerName: 'CAE MSG Loire-Atlantique',
  issuerAddress: { line1: '12 rue de la Coopération', postalCode: '44000', city: 'Nantes' },
  withdrawalEmail: 'sophie.garnier@example.org',
  entrepreneurName: 'Sophie Garnier',
  clientName: 'Jean Moreau',
  siteAddress: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' },
  issueDate: '2026-11-25',
  validUntil: '2026-12-25',
  totals: {
    netCents: 523_450,
    vat: [
      { rate: '10', baseCents: 123_450, vatCents: 12_345 },
      { rate: '5.5', baseCents: 400_000, vatCents: 22_000 },
    ],
    grossCents: 557_795,
    depositCents: 167_340,
  },
  depositPercent: 30,
  vatCertification: 'reduced-energy',
  reducedRates: ['10', '5.5'],
  consumer: { withdrawal: true, paymentWait: true, mediator },
  pdfUrl: 'https://documents.example.org/q.pdf',
  pdfSha256: 'a'.repeat(64),
  actionBase: '/q/tok123',
};

describe('the quote page of an individual', () => {
  it('gives the withdrawal right, the 7 days without payment and the mediator, and the deposit’s earliest payment', () => {
    const t = text(renderQuotePage(view));
    expect(t).toContain('Vos droits Votre droit de rétractation Vous disposez d’un délai de 14 jours pour vous rétracter de ce contrat');
    expect(t).toContain('Il expire 14 jours après le jour de la conclusion du contrat');
    expect(t).toContain(
      'par courrier à 12 rue de la Coopération, 44000 Nantes, par e-mail à sophie.garnier@example.org, ou au moyen du formulaire',
    );
    expect(t).toContain('Aucun paiement pendant 7 jours');
    expect(t).toContain(`recourir gratuitement au médiateur de la consommation : ${mediator.name}, ${mediator.website}`);
    expect(t).toContain('Acompte à verser au plus tôt 8 jours après votre accord (30 %) 1 673,40 €');
    expect(t).toContain(
      'Pour les travaux facturés au taux de 5,5 %, je certifie en outre qu’ils ont la nature de travaux de rénovation énergétique.',
    );
  });

  it('offers the express request to start early as an optional box, recorded only if ticked', () => {
    const html = renderQuotePage(view);
    expect(html).toMatch(/<input type="checkbox" id="earlyStart" name="earlyStart" value="on">/);
    expect(html).not.toMatch(/id="earlyStart"[^>]*required/);
    expect(renderQuotePage({ ...view, consumer: undefined })).not.toContain('earlyStart');
  });

  it('offers the withdrawal on the accepted quote within the 14 days, and nothing else to sign', () => {
    const accepted: QuotePage = {
      ...view,
      closed: { reason: 'accepted', at: '2026-11-26T09:00:00Z', by: 'Jean Moreau' },
      consumer: { ...view.consumer!, withdrawalDeadline: '2026-12-10', canWithdrawNow: true, firstPaymentDate: '2026-12-04' },
    };
    const html = renderQuotePage(accepted);
    expect(html).toContain('action="/q/tok123/withdraw"');
    expect(html).not.toContain('/accept"');
    expect(text(html)).toContain('Vous pouvez annuler votre accord sans motif et sans frais jusqu’au 10 décembre 2026 inclus.');
    expect(text(html)).toContain('Acompte à verser au plus tôt le 4 décembre 2026');
    expect(text(renderAccepted(accepted))).toContain(
      'L’acompte à verser est de 1 673,40 €, au plus tôt le 4 décembre 2026 (aucun paiement ne peut être reçu avant).',
    );
    const over = renderQuotePage({ ...accepted, consumer: { ...accepted.consumer!, canWithdrawNow: false } });
    expect(over).not.toContain('/withdraw"');
  });

  it('acknowledges the withdrawal with its time, and says the money comes back within 14 days', () => {
    const t = text(renderWithdrawn({ ...view, closed: { reason: 'withdrawn', at: '2026-11-27T14:30:00Z', by: 'Jean Moreau' } }));
    expect(t).toContain('Votre rétractation est bien enregistrée');
    expect(t).toContain(
      'Vous vous êtes rétracté(e) du devis n° D-MSG44-2026-000123 (révision 2) le 27 novembre 2026 à 15:30 : Rénovation énergétique.',
    );
    expect(t).toContain('il vous sera remboursé au plus tard 14 jours après aujourd’hui');
    expect(t).toContain('Nous avons prévenu Sophie Garnier par e-mail : pour toute question, adressez-vous à cette personne.');
  });
});

describe('the pay page of an off-premises contract', () => {
  const pay: PayPage = {
    number: 'F-MSG44-2026-000102',
    title: 'Acompte — Rénovation',
    issuerName: 'CAE MSG Loire-Atlantique',
    clientName: 'Jean Moreau',
    issueDate: '2026-11-27',
    dueDate: '2026-12-04',
    grossCents: 671_205,
    amountPaidCents: 0,
    amountPendingCents: 0,
    amountCreditedCents: 0,
    amountDueCents: 671_205,
    state: 'issued',
    overdue: false,
    checkoutAction: '/pay/tok/checkout',
  };
  it('offers no « Payer » button before the first day a payment may be received, and says when', () => {
    const html = renderPayPage({ ...pay, noPaymentBefore: '2026-12-04' });
    expect(html).not.toContain('action="/pay/tok/checkout"');
    expect(text(html)).toContain('Paiement possible à partir du 4 décembre 2026');
    expect(text(html)).toContain('la loi interdit de recevoir un paiement avant cette date (article L221-10 du Code de la consommation)');
    expect(renderPayPage(pay)).toContain('action="/pay/tok/checkout"');
  });
});
