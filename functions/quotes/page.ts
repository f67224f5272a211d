/**
 * The client’s pages (public, by link): pure functions from the resolved `QuotePage` to complete
 * HTML5 documents in French. Written for elderly readers on a phone: large text, strong contrast,
 * big targets, one column, plain words. No JavaScript at all and inline CSS only (the page’s
 * Content-Security-Policy allows nothing else); forms work with the browser alone.
 *
 * Every value that comes from data goes through `escapeHtml` (text and attributes alike).
 */
import { formatDate, formatDateTime, formatEuros, formatRate } from '../shared/french.ts';
import {
  certificationSentence,
  EARLY_START_REQUEST,
  mediatorText,
  PAYMENT_WAIT_TEXT,
  withdrawalConditions,
} from '../shared/legal-texts.ts';
import { addressHtml, escapeHtml, layout, safeUrl } from '../shared/html.ts';
import type { QuotePage } from './views.ts';

const NBSP = '\u00a0';

/** The wording of BOI-LETTRE-000280 (22/10/2025); the client signs it with the quote. */
export const VAT_CERTIFICATION_TEXT =
  'certifie, en qualité de preneur de la prestation, que les travaux réalisés concernent des locaux à usage d’habitation achevés depuis plus de deux ans ' +
  'et qu’ils n’ont pas eu pour effet, sur une période de deux ans au plus, de concourir à la production d’un immeuble neuf au sens du 2° du 2 du I de ' +
  `l’article 257 du CGI, ni d’entraîner une augmentation de la surface de plancher des locaux existants supérieure à 10${NBSP}%`;
/** Added for the 5.5 % rate (quotes sent before the certification per rate: `reducedRates` absent). */
export const VAT_ENERGY_ADDITION = 'et qu’ils ont la nature de travaux de rénovation énergétique';

/** A calendar date (YYYY-MM-DD) or an instant, in French. */
const when = (value: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : formatDateTime(value));

const quoteLabel = (view: QuotePage): string =>
  `<span class="nowrap">n°${NBSP}${escapeHtml(view.number)}</span>${view.revision > 1 ? ` (révision ${escapeHtml(view.revision)})` : ''}`;

const pdfLink = (view: QuotePage, secondary = true): string =>
  `<p><a class="button${secondary ? ' secondary' : ''}" href="${safeUrl(view.pdfUrl)}">Télécharger le devis (PDF)</a></p>`;

function summary(view: QuotePage): string {
  const { totals } = view;
  const vatTotal = totals.vat.reduce((sum, v) => sum + v.vatCents, 0);
  const rows = totals.vat
    .map(
      (v) =>
        `<tr><th scope="row">${escapeHtml(formatRate(v.rate))}</th><td>${escapeHtml(formatEuros(v.baseCents))}</td><td>${escapeHtml(formatEuros(v.vatCents))}</td></tr>`,
    )
    .join('\n');
  const when = view.consumer?.paymentWait
    ? view.consumer.firstPaymentDate
      ? `à verser au plus tôt le ${escapeHtml(formatDate(view.consumer.firstPaymentDate))}`
      : 'à verser au plus tôt 8 jours après votre accord'
    : 'à verser à la signature';
  const deposit =
    view.depositPercent > 0
      ? `<div><dt>Acompte ${when} (${escapeHtml(formatRate(String(view.depositPercent)))})</dt><dd>${escapeHtml(formatEuros(totals.depositCents))}</dd></div>`
      : `<div><dt>Acompte</dt><dd>aucun</dd></div>`;
  return `<section aria-labelledby="qui">
<h2 id="qui">Qui vous propose ce devis</h2>
<dl class="facts">
<dt>Préparé par</dt><dd>${escapeHtml(view.entrepreneurName)}</dd>
<dt>Émis par la coopérative</dt><dd>${escapeHtml(view.issuerName)}</dd>
<dt>Pour</dt><dd>${escapeHtml(view.clientName)}</dd>
<dt>Adresse du chantier</dt><dd>${addressHtml(view.siteAddress)}</dd>
<dt>Date du devis</dt><dd>${escapeHtml(formatDate(view.issueDate))}</dd>
<dt>Valable jusqu’au</dt><dd>${escapeHtml(formatDate(view.validUntil))}</dd>
</dl>
</section>
<section aria-labelledby="montant">
<h2 id="montant">Montant des travaux</h2>
<dl class="totals">
<div><dt>Total hors taxes (HT)</dt><dd>${escapeHtml(formatEuros(totals.netCents))}</dd></div>
<div><dt>Total de la TVA</dt><dd>${escapeHtml(formatEuros(vatTotal))}</dd></div>
<div class="gross"><dt>Total à payer, toutes taxes comprises (TTC)</dt><dd>${escapeHtml(formatEuros(totals.grossCents))}</dd></div>
${deposit}
</dl>
<table>
<caption>TVA par taux</caption>
<thead><tr><th scope="col">Taux de TVA</th><th scope="col">Montant hors taxes</th><th scope="col">TVA</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>
<section aria-labelledby="document">
<h2 id="document">Le devis complet</h2>
<p>Le détail des travaux, les prix ligne par ligne et les conditions sont dans le document PDF.</p>
${pdfLink(view)}
</section>`;
}

function heading(view: QuotePage): string {
  return `<h1>Votre devis${NBSP}: ${escapeHtml(view.title)}</h1>
<p class="lead">Devis ${quoteLabel(view)}, du ${escapeHtml(formatDate(view.issueDate))}, valable jusqu’au ${escapeHtml(formatDate(view.validUntil))}.</p>`;
}

function certification(view: QuotePage): string {
  if (view.vatCertification === 'none') return '';
  const energy = view.vatCertification === 'reduced-energy' ? ` ${VAT_ENERGY_ADDITION}` : '';
  const sentence = view.reducedRates ? certificationSentence(view.reducedRates) : `${VAT_CERTIFICATION_TEXT}${energy}.`;
  return `<fieldset>
<legend>Attestation pour la TVA à taux réduit <span class="required">(obligatoire)</span></legend>
<p class="hint">Ce devis applique une TVA à taux réduit. Pour y avoir droit, vous devez cocher cette attestation.</p>
<div class="check">
<input type="checkbox" id="certifyVat" name="certifyVat" value="on" required>
<label for="certifyVat">Je soussigné(e), dont le nom est écrit ci-dessus, ${sentence}</label>
</div>
</fieldset>`;
}

/** L221-25: the client may ask, by ticking, for the works to start within the withdrawal period. */
function earlyStart(view: QuotePage): string {
  if (!view.consumer?.withdrawal) return '';
  return `<fieldset>
<legend>Début des travaux <span class="optional">(facultatif)</span></legend>
<p class="hint">Sans cette demande, les travaux ne commencent qu’après la fin de votre délai de rétractation de 14${NBSP}jours.</p>
<div class="check">
<input type="checkbox" id="earlyStart" name="earlyStart" value="on">
<label for="earlyStart">${escapeHtml(EARLY_START_REQUEST)}</label>
</div>
</fieldset>`;
}

/** The consumer's rights: withdrawal, no payment for 7 days, the mediator (L221-5, L221-10, L612-1). */
function rights(view: QuotePage): string {
  const c = view.consumer;
  if (!c) return '';
  const parts: string[] = [];
  if (c.withdrawal && view.issuerAddress)
    parts.push(`<h3>Votre droit de rétractation</h3>
<p>${escapeHtml(withdrawalConditions({ legalName: view.issuerName, address: view.issuerAddress }, view.withdrawalEmail))}</p>
<p>Le formulaire de rétractation est à la fin du devis (PDF).</p>`);
  if (c.paymentWait) parts.push(`<h3>Aucun paiement pendant 7${NBSP}jours</h3>\n<p>${escapeHtml(PAYMENT_WAIT_TEXT)}</p>`);
  if (c.mediator) parts.push(`<h3>Médiation de la consommation</h3>\n<p>${escapeHtml(mediatorText(c.mediator))}</p>`);
  if (!parts.length) return '';
  return `<section aria-labelledby="droits">
<h2 id="droits">Vos droits</h2>
${parts.join('\n')}
</section>`;
}

/** Accepted, within the 14 days: the form to withdraw through the same link. */
function withdrawForm(view: QuotePage): string {
  const c = view.consumer;
  if (!c?.canWithdrawNow || !c.withdrawalDeadline) return '';
  const base = view.actionBase.replace(/\/+$/, '');
  return `<section aria-labelledby="retracter">
<h2 id="retracter">Vous rétracter</h2>
<p>Vous pouvez annuler votre accord sans motif et sans frais jusqu’au <strong class="nowrap">${escapeHtml(formatDate(c.withdrawalDeadline))}</strong> inclus. Les sommes versées vous seront remboursées dans les 14${NBSP}jours.</p>
${c.earlyStartRequested ? `<p>Vous avez demandé que les travaux commencent avant la fin de ce délai${NBSP}: si vous vous rétractez, vous paierez les travaux déjà réalisés.</p>` : ''}
<form method="post" action="${safeUrl(`${base}/withdraw`)}">
<label for="withdrawName">Vos nom et prénom <span class="required">(obligatoire)</span></label>
<p class="hint" id="withdrawName-aide">Écrivez votre nom et votre prénom${NBSP}: ils valent signature de votre rétractation.</p>
<input type="text" id="withdrawName" name="signerName" required maxlength="120" autocomplete="name" aria-describedby="withdrawName-aide">
<p><button type="submit" class="button refuse">Me rétracter</button></p>
</form>
</section>`;
}

function forms(view: QuotePage): string {
  const base = view.actionBase.replace(/\/+$/, '');
  return `<section aria-labelledby="accepter">
<h2 id="accepter">Accepter le devis</h2>
<form method="post" action="${safeUrl(`${base}/accept`)}">
<input type="hidden" name="pdfSha256" value="${escapeHtml(view.pdfSha256)}">
<fieldset>
<legend>Votre signature</legend>
<label for="signerName">Vos nom et prénom <span class="required">(obligatoire)</span></label>
<p class="hint" id="signerName-aide">Écrivez votre nom et votre prénom${NBSP}: ils valent signature.</p>
<input type="text" id="signerName" name="signerName" required maxlength="120" autocomplete="name" aria-describedby="signerName-aide">
</fieldset>
${certification(view)}
${earlyStart(view)}
<p>En appuyant sur «${NBSP}Bon pour accord${NBSP}», vous acceptez ce devis tel qu’il est écrit dans le document PDF${view.depositPercent > 0 ? `, ainsi que le versement d’un acompte de ${escapeHtml(formatEuros(view.totals.depositCents))}` : ''}.</p>
<button type="submit" class="button">Bon pour accord</button>
</form>
</section>
<section aria-labelledby="refuser">
<h2 id="refuser">Refuser le devis</h2>
<form method="post" action="${safeUrl(`${base}/decline`)}">
<label for="reason">Motif (facultatif)</label>
<p class="hint" id="reason-aide">Vous pouvez dire pourquoi, si vous le souhaitez.</p>
<textarea id="reason" name="reason" rows="3" maxlength="1000" aria-describedby="reason-aide"></textarea>
<p><button type="submit" class="button refuse">Refuser le devis</button></p>
</form>
</section>`;
}

/** Why the quote can no longer be signed, in plain words. */
export function closedMessage(view: QuotePage): string {
  const closed = view.closed;
  if (!closed) return '';
  const on = closed.at ? ` le ${escapeHtml(when(closed.at))}` : '';
  switch (closed.reason) {
    case 'accepted':
      return `Ce devis a déjà été accepté${on}${closed.by ? ` par ${escapeHtml(closed.by)}` : ''}.`;
    case 'declined':
      return `Ce devis a été refusé${on}.`;
    case 'expired':
      return closed.at
        ? `Ce devis a expiré${on}.`
        : `Ce devis était valable jusqu’au ${escapeHtml(formatDate(view.validUntil))}${NBSP}: il a expiré.`;
    case 'superseded':
      return `Ce devis a été remplacé par une nouvelle révision${NBSP}: vous allez recevoir un nouveau lien.`;
    case 'withdrawn':
      return `Vous vous êtes rétracté(e) de ce devis${on}${closed.by ? ` (au nom de ${escapeHtml(closed.by)})` : ''}.`;
  }
}

function closedNotice(view: QuotePage): string {
  const closed = view.closed!;
  const next =
    closed.reason === 'accepted'
      ? view.consumer?.canWithdrawNow
        ? `Vous pouvez encore vous rétracter jusqu’au ${escapeHtml(formatDate(view.consumer.withdrawalDeadline!))} inclus (voir plus bas).`
        : 'Vous n’avez plus rien à faire sur cette page.'
      : closed.reason === 'withdrawn'
        ? `Votre rétractation est enregistrée${NBSP}: le contrat est annulé et les sommes versées vous seront remboursées dans les 14${NBSP}jours.`
        : closed.reason === 'superseded'
          ? 'Cette ancienne révision ne peut plus être signée.'
          : `Il ne peut plus être signé. Pour un nouveau devis, contactez ${escapeHtml(view.entrepreneurName)}.`;
  return `<div class="notice${closed.reason === 'accepted' ? '' : ' stop'}" role="status">
<p><strong>${closedMessage(view)}</strong></p>
<p>${next}</p>
</div>`;
}

/** `GET /q/{token}`: the quote to accept or decline, or, when closed, why it can no longer be signed. */
export function renderQuotePage(view: QuotePage): string {
  const body = view.closed
    ? `${heading(view)}\n${closedNotice(view)}\n${summary(view)}\n${withdrawForm(view)}\n${rights(view)}`
    : `${heading(view)}\n${summary(view)}\n${rights(view)}\n${forms(view)}`;
  return layout({ title: `Devis ${view.number}`, body });
}

/** After "Bon pour accord": the confirmation. */
export function renderAccepted(view: QuotePage): string {
  const at = view.closed?.reason === 'accepted' && view.closed.at ? ` le ${escapeHtml(when(view.closed.at))}` : '';
  const by = view.closed?.reason === 'accepted' && view.closed.by ? ` au nom de ${escapeHtml(view.closed.by)}` : '';
  const deposit =
    view.depositPercent > 0
      ? `<p>L’acompte à verser est de <strong>${escapeHtml(formatEuros(view.totals.depositCents))}</strong>${view.consumer?.firstPaymentDate ? `, au plus tôt le <span class="nowrap">${escapeHtml(formatDate(view.consumer.firstPaymentDate))}</span> (aucun paiement ne peut être reçu avant)` : ''}. ${escapeHtml(view.entrepreneurName)} vous dira comment le régler.</p>`
      : '';
  const body = `<h1>Merci, votre accord est bien enregistré</h1>
<div class="notice" role="status">
<p><strong>Vous avez accepté le devis ${quoteLabel(view)}${at}${by}.</strong></p>
<p>Montant total${NBSP}: ${escapeHtml(formatEuros(view.totals.grossCents))} TTC.</p>
</div>
<section aria-labelledby="suite">
<h2 id="suite">Et maintenant${NBSP}?</h2>
<p>${escapeHtml(view.entrepreneurName)} va vous contacter pour convenir de la date des travaux.</p>
${deposit}
<p>Gardez une copie du devis${NBSP}:</p>
${pdfLink(view)}
<p>Vous pouvez fermer cette page.</p>
</section>
${withdrawForm(view)}`;
  return layout({ title: `Devis ${view.number} accepté`, body });
}

/** After « Me rétracter »: the acknowledgement, with the time recorded. */
export function renderWithdrawn(view: QuotePage): string {
  const at = view.closed?.reason === 'withdrawn' && view.closed.at ? ` le ${escapeHtml(when(view.closed.at))}` : '';
  const body = `<h1>Votre rétractation est bien enregistrée</h1>
<div class="notice stop" role="status">
<p><strong>Vous vous êtes rétracté(e) du devis ${quoteLabel(view)}${at}${NBSP}: ${escapeHtml(view.title)}.</strong></p>
</div>
<section aria-labelledby="suite">
<h2 id="suite">Et maintenant${NBSP}?</h2>
<p>Le contrat est annulé. Si vous avez déjà versé de l’argent, il vous sera remboursé au plus tard 14${NBSP}jours après aujourd’hui, par le même moyen de paiement.</p>
${view.consumer?.earlyStartRequested ? `<p>Comme vous aviez demandé que les travaux commencent avant la fin du délai, les travaux déjà réalisés restent à payer.</p>` : ''}
<p>Nous avons prévenu ${escapeHtml(view.entrepreneurName)} par e-mail${NBSP}: pour toute question, adressez-vous à cette personne. Vous pouvez fermer cette page.</p>
</section>`;
  return layout({ title: `Devis ${view.number}${NBSP}: rétractation`, body });
}

/** After "Refuser le devis": the acknowledgement. */
export function renderDeclined(view: QuotePage): string {
  const body = `<h1>Votre refus est bien enregistré</h1>
<div class="notice stop" role="status">
<p><strong>Vous avez refusé le devis ${quoteLabel(view)}${NBSP}: ${escapeHtml(view.title)}.</strong></p>
</div>
<section aria-labelledby="suite">
<h2 id="suite">Et maintenant${NBSP}?</h2>
<p>Vous n’avez rien à payer. Si vous changez d’avis, contactez ${escapeHtml(view.entrepreneurName)}.</p>
<p>Vous pouvez fermer cette page.</p>
</section>`;
  return layout({ title: `Devis ${view.number} refusé`, body });
}

/**
 * `GET /q/{token}` once a closed quote’s retention period is over: says only that the quote is no
 * longer shown online and whom to ask — no number, no name, no address, no amount.
 */
export function renderQuoteRetired(): string {
  const body = `<h1>Ce devis n’est plus consultable en ligne</h1>
<div class="notice stop" role="status">
<p><strong>Ce devis n’est plus en cours${NBSP}: il a été accepté, refusé, remplacé ou il a expiré il y a un certain temps.</strong></p>
<p>Pour protéger vos informations personnelles, il n’est plus affiché sur internet.</p>
</div>
<section aria-labelledby="suite">
<h2 id="suite">Besoin du devis${NBSP}?</h2>
<p>Gardez le document PDF que vous avez peut-être téléchargé. Pour en obtenir une copie, ou pour un nouveau devis, adressez-vous à la personne qui vous l’a envoyé, ou à la coopérative qui l’a émis${NBSP}: leurs coordonnées figurent dans l’e-mail qui contenait ce lien.</p>
<p>Vous pouvez fermer cette page.</p>
</section>`;
  return layout({ title: 'Devis plus disponible en ligne', body });
}
