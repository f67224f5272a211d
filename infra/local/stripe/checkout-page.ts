/**
 * The hosted checkout page, `GET /pay/<cs_id>`, in French and without JavaScript: the amount, the
 * lines, and one form per payment method the session offers — « Payer par carte » (succeeds),
 * « Simuler un refus » (card declined: the page says so, the session stays open), « Payer par
 * prélèvement (en cours de traitement) » (SEPA debit, processing until settled). Paying redirects
 * (303) to the session's success_url with {CHECKOUT_SESSION_ID} replaced; « Retour » links to
 * cancel_url. A paid session says so (and links on), an expired one says it can no longer be paid
 * (410 to a payment attempt); an unknown session is a 404 page. The buttons POST to
 * /pay/<cs_id>/card|decline|debit, which run payments.ts's `pay`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CheckoutSessions } from './checkout-sessions.ts';
import type { Payments } from './payments.ts';
import type { StandInState } from './state.ts';
import type { StripeObject } from './types.ts';
import { euros, readBody } from './wire.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function successRedirect(session: StripeObject): string | undefined {
  const success = session.success_url as string | null;
  return success ? success.replaceAll('{CHECKOUT_SESSION_ID}', session.id as string) : undefined;
}

/** Serves /pay/… requests. */
export function checkoutPage(deps: {
  readonly state: StandInState;
  readonly sessions: CheckoutSessions;
  readonly pay: Payments['pay'];
}): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const { sessions, lineItems } = deps.state;
  const { expireIfDue } = deps.sessions;
  const payAction = deps.pay;

  function page(session: StripeObject, notice?: 'declined'): string {
    const id = escapeHtml(session.id as string);
    const amount = escapeHtml(euros(session.amount_total as number, session.currency as string));
    const items = (lineItems.get(session.id as string) ?? [])
      .map(
        (li) => `<li>${escapeHtml(li.description as string)} — ${escapeHtml(euros(li.amount_total as number, li.currency as string))}</li>`,
      )
      .join('');
    const cancel = session.cancel_url as string | null;
    const open = session.status === 'open';
    const debit = (session.payment_method_types as string[]).includes('sepa_debit');
    const card = (session.payment_method_types as string[]).includes('card');
    const body = open
      ? `${notice === 'declined' ? '<div role="alert" class="refus"><strong>Paiement refusé :</strong> votre carte a été refusée. Aucun montant n’a été débité. Vous pouvez réessayer.</div>' : ''}
<p class="montant">Montant à payer : <strong>${amount}</strong></p>
<ul>${items}</ul>
${
  card
    ? `<form method="post" action="/pay/${id}/card"><button type="submit">Payer par carte</button></form>
<form method="post" action="/pay/${id}/decline"><button type="submit" class="secondaire">Simuler un refus</button></form>`
    : ''
}
${debit ? `<form method="post" action="/pay/${id}/debit"><button type="submit" class="secondaire">Payer par prélèvement (en cours de traitement)</button></form>` : ''}`
      : session.status === 'complete'
        ? `<p>Ce paiement a déjà été effectué.</p>${successRedirect(session) ? `<p><a href="${escapeHtml(successRedirect(session)!)}">Continuer</a></p>` : ''}`
        : '<p role="alert">Cette session de paiement a expiré : elle ne peut plus être payée. Aucun montant n’a été débité. Revenez à la page de votre facture pour payer le montant à jour.</p>';
    return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Paiement sécurisé — environnement de test</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
.test{background:#fff3cd;border:1px solid #b58900;padding:.5rem .75rem;border-radius:.25rem}
.refus{background:#fde2e1;border:1px solid #b00020;padding:.5rem .75rem;border-radius:.25rem;margin:1rem 0}
.montant{font-size:1.25rem}
button{font-size:1rem;padding:.6rem 1rem;margin:.3rem 0;width:100%;cursor:pointer;background:#0b5cad;color:#fff;border:0;border-radius:.25rem}
button.secondaire{background:#fff;color:#0b5cad;border:2px solid #0b5cad}
button:focus{outline:3px solid #ffbf47;outline-offset:2px}
</style>
</head>
<body>
<main>
<h1>Paiement sécurisé — environnement de test</h1>
<p class="test">Environnement de test : aucun paiement réel n’est effectué.</p>
${body}
${cancel ? `<p><a href="${escapeHtml(cancel)}">Retour</a></p>` : ''}
</main>
</body>
</html>
`;
  }

  async function handlePage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const match = /^\/pay\/(cs_[A-Za-z0-9_]+)(?:\/(card|decline|debit))?$/.exec(url.pathname);
    const html = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
    };
    const session = match ? sessions.get(match[1]!) : undefined;
    if (!match || !session)
      return html(
        404,
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Session introuvable</title></head><body><main><h1>Session de paiement introuvable</h1></main></body></html>',
      );
    expireIfDue(session);
    /** After a payment: on to the success_url (303), or the page saying it is paid. */
    const paid = () => {
      const target = successRedirect(session);
      if (!target) return html(200, page(session));
      res.writeHead(303, { location: target });
      res.end();
    };
    const action = match[2] as 'card' | 'decline' | 'debit' | undefined;
    if (!action) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return html(405, page(session));
      return html(200, page(session));
    }
    if (req.method !== 'POST') return html(405, page(session));
    await readBody(req);
    if (session.status === 'complete') return paid();
    if (session.status !== 'open') return html(410, page(session));
    if (!(session.payment_method_types as string[]).includes(action === 'debit' ? 'sepa_debit' : 'card')) return html(400, page(session));
    payAction(session.id as string, action);
    if (action === 'decline') return html(200, page(session, 'declined'));
    return paid();
  }

  return handlePage;
}
