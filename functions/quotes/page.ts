/**
 * The client's pages (public, by link): pure functions from the resolved `QuotePage` to complete
 * HTML5 documents in French. Written for elderly readers on a phone: large text, strong contrast,
 * big targets, one column, plain words. No JavaScript at all and inline CSS only (the page's
 * Content-Security-Policy allows nothing else); forms work with the browser alone.
 *
 * Every value that comes from data goes through `escapeHtml` (text and attributes alike).
 */
import { formatDate, formatDateTime, formatEuros, formatRate } from '../shared/french.ts';
import { escapeHtml, layout, safeUrl } from '../shared/html.ts';
import type { PostalAddress, QuotePage } from './views.ts';

const NBSP = '\u00a0';

/** The wording of BOI-LETTRE-000280 (22/10/2025); the client signs it with the quote. */
export const VAT_CERTIFICATION_TEXT =
  "certifie, en qualité de preneur de la prestation, que les travaux réalisés concernent des locaux à usage d'habitation achevés depuis plus de deux ans " +
  "et qu'ils n'ont pas eu pour effet, sur une période de deux ans au plus, de concourir à la production d'un immeuble neuf au sens du 2° du 2 du I de " +
  `l'article 257 du CGI, ni d'entraîner une augmentation de la surface de plancher des locaux existants supérieure à 10${NBSP}%`;
/** Added for the 5.5 % rate. */
export const VAT_ENERGY_ADDITION = "et qu'ils ont la nature de travaux de rénovation énergétique";

/** A calendar date (YYYY-MM-DD) or an instant, in French. */
const when = (value: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : formatDateTime(value));

const addressLines = (a: PostalAddress): string =>
  [a.line1, a.line2, `${a.postalCode} ${a.city}`]
    .filter((l): l is string => Boolean(l?.trim()))
    .map(escapeHtml)
    .join('<br>');

const quoteLabel = (view: QuotePage): string =>
  `<span class="nowrap">n°${NBSP}${escapeHtml(view.number)}</span>${view.revision > 1 ? ` (version ${escapeHtml(view.revision)})` : ''}`;

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
  const deposit =
    view.depositPercent > 0
      ? `<div><dt>Acompte à verser à la signature (${escapeHtml(formatRate(String(view.depositPercent)))})</dt><dd>${escapeHtml(formatEuros(totals.depositCents))}</dd></div>`
      : `<div><dt>Acompte</dt><dd>aucun</dd></div>`;
  return `<section aria-labelledby="qui">
<h2 id="qui">Qui vous propose ce devis</h2>
<dl class="facts">
<dt>Préparé par</dt><dd>${escapeHtml(view.entrepreneurName)}</dd>
<dt>Émis par la coopérative</dt><dd>${escapeHtml(view.issuerName)}</dd>
<dt>Pour</dt><dd>${escapeHtml(view.clientName)}</dd>
<dt>Adresse du chantier</dt><dd>${addressLines(view.siteAddress)}</dd>
<dt>Date du devis</dt><dd>${escapeHtml(formatDate(view.issueDate))}</dd>
<dt>Valable jusqu'au</dt><dd>${escapeHtml(formatDate(view.validUntil))}</dd>
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
<p class="lead">Devis ${quoteLabel(view)}, du ${escapeHtml(formatDate(view.issueDate))}, valable jusqu'au ${escapeHtml(formatDate(view.validUntil))}.</p>`;
}

function certification(view: QuotePage): string {
  if (view.vatCertification === 'none') return '';
  const energy = view.vatCertification === 'reduced-energy' ? ` ${VAT_ENERGY_ADDITION}` : '';
  return `<fieldset>
<legend>Attestation pour la TVA à taux réduit <span class="required">(obligatoire)</span></legend>
<p class="hint">Ce devis applique une TVA à taux réduit. Pour y avoir droit, vous devez cocher cette attestation.</p>
<div class="check">
<input type="checkbox" id="certifyVat" name="certifyVat" value="on" required>
<label for="certifyVat">Je soussigné(e), dont le nom est écrit ci-dessus, ${VAT_CERTIFICATION_TEXT}${energy}.</label>
</div>
</fieldset>`;
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
<p>En appuyant sur «${NBSP}Bon pour accord${NBSP}», vous acceptez ce devis tel qu'il est écrit dans le document PDF${view.depositPercent > 0 ? `, ainsi que le versement d'un acompte de ${escapeHtml(formatEuros(view.totals.depositCents))}` : ''}.</p>
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
        : `Ce devis était valable jusqu'au ${escapeHtml(formatDate(view.validUntil))}${NBSP}: il a expiré.`;
    case 'superseded':
      return `Ce devis a été remplacé par une nouvelle version${NBSP}: vous allez recevoir un nouveau lien.`;
  }
}

function closedNotice(view: QuotePage): string {
  const closed = view.closed!;
  const next =
    closed.reason === 'accepted'
      ? "Vous n'avez plus rien à faire sur cette page."
      : closed.reason === 'superseded'
        ? 'Cette ancienne version ne peut plus être signée.'
        : `Il ne peut plus être signé. Pour un nouveau devis, contactez ${escapeHtml(view.entrepreneurName)}.`;
  return `<div class="notice${closed.reason === 'accepted' ? '' : ' stop'}" role="status">
<p><strong>${closedMessage(view)}</strong></p>
<p>${next}</p>
</div>`;
}

/** `GET /q/{token}`: the quote to accept or decline, or, when closed, why it can no longer be signed. */
export function renderQuotePage(view: QuotePage): string {
  const body = view.closed
    ? `${heading(view)}\n${closedNotice(view)}\n${summary(view)}`
    : `${heading(view)}\n${summary(view)}\n${forms(view)}`;
  return layout({ title: `Devis ${view.number}`, body });
}

/** After "Bon pour accord": the confirmation. */
export function renderAccepted(view: QuotePage): string {
  const at = view.closed?.reason === 'accepted' && view.closed.at ? ` le ${escapeHtml(when(view.closed.at))}` : '';
  const by = view.closed?.reason === 'accepted' && view.closed.by ? ` au nom de ${escapeHtml(view.closed.by)}` : '';
  const deposit =
    view.depositPercent > 0
      ? `<p>L'acompte à verser est de <strong>${escapeHtml(formatEuros(view.totals.depositCents))}</strong>. ${escapeHtml(view.entrepreneurName)} vous dira comment le régler.</p>`
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
</section>`;
  return layout({ title: `Devis ${view.number} accepté`, body });
}

/** After "Refuser le devis": the acknowledgement. */
export function renderDeclined(view: QuotePage): string {
  const body = `<h1>Votre refus est bien enregistré</h1>
<div class="notice stop" role="status">
<p><strong>Vous avez refusé le devis ${quoteLabel(view)}${NBSP}: ${escapeHtml(view.title)}.</strong></p>
</div>
<section aria-labelledby="suite">
<h2 id="suite">Et maintenant${NBSP}?</h2>
<p>Vous n'avez rien à payer. Si vous changez d'avis, contactez ${escapeHtml(view.entrepreneurName)}.</p>
<p>Vous pouvez fermer cette page.</p>
</section>`;
  return layout({ title: `Devis ${view.number} refusé`, body });
}

/**
 * `GET /q/{token}` once a closed quote's retention period is over: says only that the quote is no
 * longer shown online and whom to ask — no number, no name, no address, no amount.
 */
export function renderQuoteRetired(): string {
  const body = `<h1>Ce devis n'est plus consultable en ligne</h1>
<div class="notice stop" role="status">
<p><strong>Ce devis n'est plus en cours${NBSP}: il a été accepté, refusé, remplacé ou il a expiré il y a un certain temps.</strong></p>
<p>Pour protéger vos informations personnelles, il n'est plus affiché sur internet.</p>
</div>
<section aria-labelledby="suite">
<h2 id="suite">Besoin du devis${NBSP}?</h2>
<p>Gardez le document PDF que vous avez peut-être téléchargé. Pour en obtenir une copie, ou pour un nouveau devis, adressez-vous à la personne qui vous l'a envoyé, ou à la coopérative qui l'a émis${NBSP}: leurs coordonnées figurent dans l'e-mail qui contenait ce lien.</p>
<p>Vous pouvez fermer cette page.</p>
</section>`;
  return layout({ title: 'Devis plus disponible en ligne', body });
}
