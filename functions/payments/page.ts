/**
 * The client's pay page (public, by link): a pure renderer in French, same layout as the quote
 * pages. No JavaScript: the one button posts a form that redirects to the checkout.
 *
 * Read top to bottom on a phone: what the invoice is, what happened (a status in words: paid,
 * debit processing, payment interrupted…), then the one figure that matters — what remains to
 * pay — with the one big « Payer … » button right under it, then the detail of the amounts and
 * the PDF. A bank debit still processing is never shown as paid: it has its own line and its own
 * message, and no button is offered meanwhile.
 */
import { formatDate, formatEuros } from '../shared/french.ts';
import { escapeHtml, layout, safeUrl } from '../shared/html.ts';
import { onlinePaymentRefusal, STRIPE_EUR_LIMITS } from './limits.ts';

const NBSP = '\u00a0';

export interface PayPage {
  readonly number: string;
  readonly title: string;
  readonly issuerName: string;
  /** The entrepreneur the CAE invoices for: the client's contact for another way to pay. */
  readonly entrepreneurName?: string | undefined;
  readonly clientName: string;
  readonly issueDate: string;
  readonly dueDate: string;
  readonly grossCents: number;
  readonly amountPaidCents: number;
  readonly amountPendingCents: number;
  readonly amountCreditedCents: number;
  readonly amountDueCents: number;
  readonly state: 'issued' | 'partially_paid' | 'paid' | 'cancelled';
  readonly overdue: boolean;
  /** A short-lived link to the invoice's PDF; none while the PDF is being prepared (its issue not complete). */
  readonly pdfUrl?: string | undefined;
  /** The credit notes (avoirs) of the invoice, each with a short-lived link to its PDF (none while it is being prepared). */
  readonly creditNotes?:
    | readonly { readonly number: string; readonly issueDate: string; readonly grossCents: number; readonly pdfUrl?: string | undefined }[]
    | undefined;
  /** Off-premises contract with an individual: no payment may be received before this day (C. conso L221-10); no button until then. */
  readonly noPaymentBefore?: string | undefined;
  /** Form target of the « Payer » button. */
  readonly checkoutAction: string;
  /** Back from the checkout: `ok` (paid or processing) or `annule`. */
  readonly returned?: 'ok' | 'annule' | undefined;
}

const money = (cents: number) => escapeHtml(formatEuros(cents));
/** A date never broken across lines (« 25 / décembre 2026 » reads badly). */
const date = (iso: string) => `<span class="nowrap">${escapeHtml(formatDate(iso))}</span>`;

/** A legal number made breakable after its hyphens (a phone is narrower than `F-SAMAD44-2026-000042` in large type). */
const breakable = (number: string) => escapeHtml(number).replaceAll('-', '-<wbr>');

type Tone = 'ok' | 'info' | 'stop';

const notice = (tone: Tone, lead: string, ...more: string[]) =>
  `<div class="notice${tone === 'stop' ? ' stop' : tone === 'info' ? ' info' : ''}" role="status"><p><strong>${lead}</strong></p>${more.map((p) => `<p>${p}</p>`).join('')}</div>`;

/** Nothing more to pay, in words; or undefined while something remains due. */
function settledNotice(view: PayPage): string | undefined {
  if (view.state === 'cancelled') return notice('ok', `Cette facture a été annulée par un avoir${NBSP}: vous n’avez rien à payer.`);
  if (view.amountDueCents > 0) return undefined;
  const refund =
    view.amountDueCents < 0
      ? [
          `Un avoir a réduit cette facture${NBSP}: le trop-perçu de ${money(-view.amountDueCents)} vous est remboursé sur le moyen de paiement utilisé.`,
        ]
      : [];
  return notice('ok', `<span aria-hidden="true">✓ </span>Cette facture est entièrement réglée. Merci${NBSP}!`, ...refund);
}

function status(view: PayPage): string {
  const settled = settledNotice(view);
  if (settled) return settled;
  if (view.amountPendingCents > 0) {
    return notice(
      'info',
      `Un paiement de ${money(view.amountPendingCents)} par prélèvement est en cours de traitement.`,
      `Il faut parfois quelques jours à la banque pour le confirmer${NBSP}: inutile de payer une seconde fois. Cette page l’indiquera dès qu’il sera reçu.`,
    );
  }
  if (view.returned === 'ok') {
    return notice(
      'info',
      `Merci${NBSP}! Votre paiement est en cours d’enregistrement.`,
      `Cette page sera à jour dans quelques instants${NBSP}: vous pouvez la recharger.`,
    );
  }
  if (view.returned === 'annule')
    return notice('stop', `Le paiement n’a pas abouti${NBSP}: rien n’a été prélevé.`, 'Vous pouvez réessayer ci-dessous.');
  if (view.overdue) return notice('stop', `Cette facture devait être réglée au plus tard le ${date(view.dueDate)}.`);
  return '';
}

const row = (label: string, amount: string, className = '') =>
  `<div${className ? ` class="${className}"` : ''}><dt>${label}</dt><dd>${amount}</dd></div>`;

/** The amounts, top to bottom as a sum: total, minus credit notes, minus payments, minus the debit in progress. */
function detail(view: PayPage, remaining: number): string {
  const deducted = view.amountCreditedCents > 0 || view.amountPaidCents > 0 || view.amountPendingCents > 0;
  return `<dl class="totals">
${row('Total de la facture (TTC)', money(view.grossCents))}
${view.amountCreditedCents > 0 ? row('Déduit par avoir', `−${NBSP}${money(view.amountCreditedCents)}`) : ''}
${view.amountPaidCents > 0 ? row('Déjà payé', `−${NBSP}${money(view.amountPaidCents)}`) : ''}
${view.amountPendingCents > 0 ? row('Prélèvement en cours de traitement', `−${NBSP}${money(view.amountPendingCents)}`) : ''}
${deducted ? row('Reste à payer', money(remaining), 'sum') : ''}
</dl>`;
}

/**
 * An amount Stripe refuses (below its minimum or above its maximum, functions/payments/limits.ts):
 * why it cannot be paid online, and whom to ask for another way, naming the invoice.
 */
function offlinePayment(view: PayPage): string {
  const refusal = onlinePaymentRefusal(view.amountDueCents);
  const why =
    refusal === 'below-minimum'
      ? `Ce montant est inférieur au minimum de ${money(STRIPE_EUR_LIMITS.minimumCents)} qu’accepte notre prestataire de paiement en ligne${NBSP}: il ne peut pas être réglé ici par carte ou par prélèvement.`
      : `Ce montant dépasse le maximum de ${money(STRIPE_EUR_LIMITS.maximumCents)} qu’accepte notre prestataire de paiement en ligne${NBSP}: il ne peut pas être réglé ici par carte ou par prélèvement.`;
  const whom = view.entrepreneurName
    ? `${escapeHtml(view.entrepreneurName)} ou ${escapeHtml(view.issuerName)}`
    : escapeHtml(view.issuerName);
  return notice(
    'info',
    why,
    `Pour la régler autrement (par virement ou par chèque), contactez ${whom} en rappelant le numéro de la facture${NBSP}: <span class="nowrap">n°${NBSP}${breakable(view.number)}</span>.`,
  );
}

/** In place of a PDF link while the document is not stored yet. */
const PREPARING = 'document en cours de préparation, à télécharger ici dès qu’il sera prêt.';

function creditNoteLinks(view: PayPage): string {
  if (!view.creditNotes?.length) return '';
  const items = view.creditNotes.map((c) =>
    c.pdfUrl
      ? `<li><a href="${safeUrl(c.pdfUrl)}">Télécharger l’avoir n°${NBSP}${breakable(c.number)} (PDF)</a>, émis le ${date(c.issueDate)}, de ${money(c.grossCents)}</li>`
      : `<li>Avoir n°${NBSP}${breakable(c.number)}, émis le ${date(c.issueDate)}, de ${money(c.grossCents)}${NBSP}: ${PREPARING}</li>`,
  );
  return `<ul class="pdf">${items.join('')}</ul>`;
}

export function renderPayPage(view: PayPage): string {
  // What the client still has to do: a debit in progress covers its amount until the bank says otherwise.
  const remaining = Math.max(0, view.amountDueCents - view.amountPendingCents);
  const due = view.state !== 'cancelled' && view.amountDueCents > 0 && view.amountPendingCents === 0;
  // Never a button that starts a checkout Stripe would refuse.
  const payable = due && onlinePaymentRefusal(view.amountDueCents) === undefined;
  const pay =
    view.noPaymentBefore && due
      ? `<section class="pay" aria-labelledby="payer">
<h2 id="payer">Reste à payer</h2>
<p class="amount">${money(view.amountDueCents)}</p>
${notice('info', `Paiement possible à partir du ${date(view.noPaymentBefore)}`, `Votre contrat a été conclu hors établissement${NBSP}: la loi interdit de recevoir un paiement avant cette date (article L221-10 du Code de la consommation). Revenez sur cette page à partir du ${date(view.noPaymentBefore)}.`)}
</section>`
      : due && !payable
        ? `<section class="pay" aria-labelledby="payer">
<h2 id="payer">Reste à payer</h2>
<p class="amount">${money(view.amountDueCents)}</p>
<p>À régler au plus tard le ${date(view.dueDate)}.</p>
${offlinePayment(view)}
</section>`
        : payable
          ? `<section class="pay" aria-labelledby="payer">
<h2 id="payer">Reste à payer</h2>
<p class="amount">${money(view.amountDueCents)}</p>
<p>À régler au plus tard le ${date(view.dueDate)}.</p>
<form method="post" action="${safeUrl(view.checkoutAction)}">
<button class="button pay-button" type="submit">Payer ${money(view.amountDueCents)}</button>
</form>
<p class="hint">Paiement sécurisé par carte bancaire ou par prélèvement sur votre compte, sur la page de notre prestataire Stripe.</p>
</section>`
          : '';
  const body = `<h1>Votre facture <span class="ref">n°${NBSP}${breakable(view.number)}</span></h1>
<p class="lead">${escapeHtml(view.title)}</p>
${status(view)}
${pay}
<section aria-labelledby="detail">
<h2 id="detail">Détail</h2>
${detail(view, remaining)}
<p>Émise le ${date(view.issueDate)} par ${escapeHtml(view.issuerName)} pour ${escapeHtml(view.clientName)}.${due ? '' : ` Échéance${NBSP}: ${date(view.dueDate)}.`}</p>
<p class="pdf">${view.pdfUrl ? `<a href="${safeUrl(view.pdfUrl)}">Télécharger la facture (PDF)</a>` : `Facture (PDF)${NBSP}: ${PREPARING}`}</p>
${creditNoteLinks(view)}
</section>`;
  return layout({ title: `Facture ${view.number}`, body });
}
