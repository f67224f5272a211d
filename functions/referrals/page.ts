/**
 * The partner's page of an offer (public, by its signed link): pure functions from the resolved
 * `OfferView` to complete HTML5 documents in French, in the layout of every client page (no
 * JavaScript, inline CSS only, strict CSP). Before acceptance the page shows the job without the
 * client's contact or street; after, the contact and the site. Trades and RGE domains by their
 * French labels, never their codes.
 */
import { formatDate, formatDateTime, formatEuros } from '../shared/french.ts';
import { addressHtml, escapeHtml, layout, safeUrl } from '../shared/html.ts';
import { ValidationError } from '../shared/errors.ts';
import { PageError } from '../shared/page.ts';
import { offerStateFr } from './domain/labels.ts';
import { rgeDomainsFr, tradesFr } from './domain/labels.ts';
import { clientContact, OfferClosedError, type OfferView } from './offers.ts';

const NBSP = '\u00a0';

function job(view: OfferView): string {
  const r = view.referral;
  const trades = tradesFr(r.trades)
    .map((t) => `<li>${escapeHtml(t.label)}</li>`)
    .join('');
  const rge = r.rgeDomains.length
    ? `<dt>Rénovation énergétique${NBSP}: qualification RGE exigée</dt><dd><ul>${rgeDomainsFr(r.rgeDomains)
        .map((d) => `<li>${escapeHtml(d.label)}</li>`)
        .join('')}</ul></dd>`
    : '';
  return `<section aria-labelledby="chantier">
<h2 id="chantier">Le chantier</h2>
<dl class="facts">
<dt>Travaux</dt><dd>${escapeHtml(r.title)}</dd>
<dt>Description</dt><dd>${escapeHtml(r.description).replace(/\n/g, '<br>')}</dd>
<dt>Métiers demandés</dt><dd><ul>${trades}</ul></dd>
${rge}
<dt>Commune</dt><dd>${escapeHtml(r.site.city)} (${escapeHtml(r.department)})</dd>
<dt>Période souhaitée</dt><dd>du ${escapeHtml(formatDate(r.startDate))} au ${escapeHtml(formatDate(r.endDate))}</dd>
<dt>Montant estimé des travaux</dt><dd>${escapeHtml(formatEuros(r.estimatedAmountCents))} HT</dd>
</dl>
</section>`;
}

function why(view: OfferView): string {
  const f = view.offer.figures;
  return `<section aria-labelledby="pourquoi">
<h2 id="pourquoi">Pourquoi ce chantier vous est proposé</h2>
<p>Le réseau propose ses chantiers d’abord aux entreprises qui emploient des techniciens de 45${NBSP}ans et plus en usure professionnelle. Votre entreprise en déclare <strong>${escapeHtml(f.wornOut)}</strong> sur ${escapeHtml(f.technicians)} technicien${f.technicians > 1 ? 's' : ''}${NBSP}: elle arrive en ${view.offer.rank === 1 ? '1re' : `${escapeHtml(view.offer.rank)}e`} position pour ce chantier.</p>
</section>`;
}

function contact(view: OfferView): string {
  if (!view.client) return '';
  const c = clientContact(view.client);
  return `<section aria-labelledby="contact">
<h2 id="contact">Le client et l’adresse du chantier</h2>
<dl class="facts">
<dt>Client</dt><dd>${escapeHtml(c.name)}</dd>
${c.phone ? `<dt>Téléphone</dt><dd>${escapeHtml(c.phone)}</dd>` : ''}
${c.email ? `<dt>Courriel</dt><dd>${escapeHtml(c.email)}</dd>` : ''}
<dt>Adresse du chantier</dt><dd>${addressHtml(view.referral.site)}</dd>
</dl>
</section>`;
}

function forms(view: OfferView): string {
  const base = view.actionBase.replace(/\/+$/, '');
  return `<section aria-labelledby="accepter">
<h2 id="accepter">Accepter le chantier</h2>
<form method="post" action="${safeUrl(`${base}/accept`)}">
<label for="plannedStart">Date de début prévue <span class="required">(obligatoire)</span></label>
<p class="hint" id="plannedStart-aide">La date à laquelle vos équipes peuvent commencer.</p>
<input type="date" id="plannedStart" name="plannedStart" required min="${escapeHtml(view.earliestStart)}" value="${escapeHtml(view.earliestStart)}" aria-describedby="plannedStart-aide">
<p>En acceptant, vous vous engagez à réaliser ces travaux. Vous verrez alors les coordonnées du client et l’adresse du chantier.</p>
<button type="submit" class="button">Accepter le chantier</button>
</form>
</section>
<section aria-labelledby="refuser">
<h2 id="refuser">Refuser le chantier</h2>
<form method="post" action="${safeUrl(`${base}/decline`)}">
<label for="reason">Motif (facultatif)</label>
<textarea id="reason" name="reason" rows="3" maxlength="1000"></textarea>
<p><button type="submit" class="button refuse">Refuser le chantier</button></p>
</form>
</section>`;
}

/** `GET /r/{token}`: the offer to answer, or what became of it. */
export function renderOfferPage(view: OfferView): string {
  const { offer } = view;
  const open = offer.state === 'open';
  const cancelled = offer.state === 'accepted' && view.referral.state === 'cancelled';
  const what = cancelled ? 'annulé' : offer.state === 'accepted' ? 'accepté' : 'proposé';
  const heading = `<h1>Chantier ${what}${NBSP}: ${escapeHtml(view.referral.title)}</h1>
<p class="lead">Pour ${escapeHtml(view.partnerName)}. ${open ? `Répondez avant le ${escapeHtml(formatDateTime(offer.expiresAt))}.` : `Proposition ${escapeHtml(offerStateFr[offer.state])}.`}</p>`;
  if (offer.state === 'accepted') {
    const r = view.referral;
    const notice = cancelled
      ? `<div class="notice stop" role="status"><p><strong>Ce chantier, que vous aviez accepté, a été annulé${r.cancelledAt ? ` le ${escapeHtml(formatDateTime(r.cancelledAt))}` : ''}.</strong></p>${r.cancelReason ? `<p>Motif${NBSP}: ${escapeHtml(r.cancelReason)}</p>` : ''}<p>Vous n’avez plus à intervenir. Les coordonnées du client ne sont plus affichées.</p></div>`
      : `<div class="notice" role="status"><p><strong>Vous avez accepté ce chantier${offer.decidedAt ? ` le ${escapeHtml(formatDateTime(offer.decidedAt))}` : ''}.</strong></p>${offer.plannedStart ? `<p>Début prévu${NBSP}: ${escapeHtml(formatDate(offer.plannedStart))}.</p>` : ''}<p>Contactez le client pour convenir des travaux.</p></div>`;
    return layout({ title: `Chantier ${what}`, body: `${heading}\n${notice}\n${contact(view)}\n${job(view)}` });
  }
  return layout({ title: 'Chantier proposé', body: `${heading}\n${job(view)}\n${why(view)}\n${forms(view)}` });
}

/** After « Refuser le chantier ». */
export function renderDeclined(view: OfferView): string {
  const body = `<h1>Votre refus est bien enregistré</h1>
<div class="notice stop" role="status"><p><strong>Vous avez refusé le chantier${NBSP}: ${escapeHtml(view.referral.title)}.</strong></p>
<p>Il sera proposé à une autre entreprise. Merci de votre réponse${NBSP}: d’autres chantiers vous seront proposés.</p></div>`;
  return layout({ title: 'Chantier refusé', body });
}

/** The refusals of the offer use cases, as the partner reads them. */
export function asPageError(error: unknown): unknown {
  if (error instanceof ValidationError && error.errors.some((e) => e.path === 'plannedStart'))
    return new PageError(
      400,
      'Date de début passée',
      'La date de début prévue est déjà passée\u00a0: indiquez une date à venir. Revenez à la page précédente, corrigez la date, puis réessayez. Rien n’a été modifié.',
    );
  if (!(error instanceof OfferClosedError)) return error;
  switch (error.reason) {
    case 'expired':
      return new PageError(
        410,
        'Proposition expirée',
        'Le délai pour répondre à cette proposition est dépassé\u00a0: elle ne peut plus être acceptée ni refusée. Rien n’a été modifié.',
      );
    case 'withdrawn':
      return new PageError(
        410,
        'Proposition retirée',
        'Cette proposition a été retirée\u00a0: le chantier a été attribué à une autre entreprise ou annulé. Rien n’a été modifié.',
      );
    case 'taken':
      return new PageError(
        409,
        'Chantier déjà attribué',
        'Une autre entreprise a accepté ce chantier juste avant vous. Votre réponse n’a pas été enregistrée\u00a0; d’autres chantiers vous seront proposés.',
      );
    case 'declined':
      return new PageError(
        409,
        'Proposition déjà refusée',
        'Vous avez déjà refusé cette proposition\u00a0: elle ne peut plus être acceptée.',
      );
    case 'accepted':
      return new PageError(
        409,
        'Chantier déjà accepté',
        'Vous avez déjà accepté ce chantier\u00a0: rouvrez le lien pour voir les coordonnées du client.',
      );
  }
}

export const unknownLink = () =>
  new PageError(
    404,
    'Lien inconnu',
    'Ce lien ne correspond à aucune proposition de chantier. Vérifiez que vous avez copié le lien en entier.',
  );
