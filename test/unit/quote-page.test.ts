/**
 * The client's pages as pure renderers (escaping, the VAT certification, closed quotes, amounts,
 * French and accessible markup), and the page core that serves them (headers, refusals as French
 * pages, nothing personal in the logs).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import {
  renderAccepted,
  renderDeclined,
  renderQuotePage,
  VAT_CERTIFICATION_TEXT,
  VAT_ENERGY_ADDITION,
} from '../../functions/quotes/page.ts';
import { escapeHtml, renderPageError } from '../../functions/shared/html.ts';
import type { QuotePage } from '../../functions/quotes/views.ts';
import { formatEuros } from '../../functions/shared/french.ts';
import { logger } from '../../functions/shared/observability.ts';
import { MAX_FORM_BYTES, PAGE_HEADERS, PageError, pageHandler } from '../../functions/shared/page.ts';
import { ConflictError } from '../../functions/shared/errors.ts';
import { findRoute } from '../../functions/routes.ts';

const view: QuotePage = {
  number: 'D-MSG44-2026-000001',
  revision: 1,
  title: 'Isolation des combles et peinture',
  issuerName: 'CAE MSG Loire-Atlantique',
  entrepreneurName: 'Martine Leroux',
  clientName: 'Jean Moreau',
  siteAddress: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' },
  issueDate: '2026-03-12',
  validUntil: '2026-04-11',
  totals: {
    netCents: 523_450,
    vat: [
      { rate: '10', baseCents: 123_450, vatCents: 12_345 },
      { rate: '5.5', baseCents: 400_000, vatCents: 22_000 },
    ],
    grossCents: 557_795,
    depositCents: 167_339,
  },
  depositPercent: 30,
  vatCertification: 'reduced-energy',
  pdfUrl: 'https://documents.example.org/quotes/q1.pdf?sig=abc&exp=1',
  pdfSha256: 'a'.repeat(64),
  actionBase: '/q/tok123',
};

/** The document's text as a reader gets it: tags dropped, entities and spaces normalised. */
const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<\/?(span|strong|a)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[\s\u00a0\u202f]+/g, ' ');
const squash = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');
const forms = (html: string) => html.match(/<form\b/g) ?? [];

describe('escapeHtml', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('renderQuotePage', () => {
  it('is a complete French HTML5 document, for phones, without any script', () => {
    const html = renderQuotePage(view);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<title>Devis D-MSG44-2026-000001 – Oui Ensemble<\/title>/);
    expect(html).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
    expect(html).not.toMatch(/<img\b|src=/i);
    expect(html.match(/<link\b[^>]*>/g)).toEqual(['<link rel="icon" href="data:,">']); // no favicon request: nothing to load at all
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('<main id="contenu">');
    expect(html).toMatch(/font-size:112\.5%/); // 18 px base
  });

  it('says who issues, who prepared, for whom, where, the number, the dates', () => {
    const t = text(renderQuotePage(view));
    for (const piece of [
      'CAE MSG Loire-Atlantique',
      'Martine Leroux',
      'Jean Moreau',
      '21 rue du Port',
      '44200 Nantes',
      'Isolation des combles et peinture',
    ]) {
      expect(t).toContain(piece);
    }
    expect(t).toContain('Devis n° D-MSG44-2026-000001, du 12 mars 2026, valable jusqu’au 11 avril 2026.');
    expect(t).not.toContain('révision 1');
    // The same word as the PDF (« Révision 2 »).
    expect(text(renderQuotePage({ ...view, revision: 2 }))).toContain('D-MSG44-2026-000001 (révision 2)');
  });

  it('formats every amount, with the VAT per rate in a table with caption and header cells', () => {
    const html = renderQuotePage(view);
    const t = squash(html);
    for (const cents of [523_450, 123_450, 12_345, 400_000, 22_000, 34_345, 557_795, 167_339])
      expect(t).toContain(squash(formatEuros(cents)));
    expect(t).toContain(squash('5 234,50 €'));
    expect(html).toContain('<caption>TVA par taux</caption>');
    expect(html).toMatch(/<th scope="col">Taux de TVA<\/th>/);
    expect(html).toMatch(/<th scope="row">10\u00a0%<\/th>/);
    expect(html).toMatch(/<th scope="row">5,5\u00a0%<\/th>/);
    expect(html).toMatch(
      /<dl class="totals">[\s\S]*Total hors taxes[\s\S]*Total de la TVA[\s\S]*toutes taxes comprises[\s\S]*Acompte[\s\S]*<\/dl>/,
    );
    expect(text(html)).toContain('Acompte à verser à la signature (30 %)');
    expect(text(renderQuotePage({ ...view, depositPercent: 0, totals: { ...view.totals, depositCents: 0 } }))).toContain('Acompte aucun');
  });

  it('links the PDF (escaped) and carries its SHA-256 in a hidden field', () => {
    const html = renderQuotePage(view);
    expect(html).toContain('href="https://documents.example.org/quotes/q1.pdf?sig=abc&amp;exp=1">Télécharger le devis (PDF)</a>');
    expect(html).toContain(`<input type="hidden" name="pdfSha256" value="${'a'.repeat(64)}">`);
  });

  it('posts acceptance and refusal to their own targets', () => {
    const html = renderQuotePage(view);
    expect(forms(html)).toHaveLength(2);
    expect(html).toMatch(
      /<form method="post" action="\/q\/tok123\/accept">[\s\S]*<button type="submit" class="button">Bon pour accord<\/button>\s*<\/form>/,
    );
    expect(html).toMatch(
      /<form method="post" action="\/q\/tok123\/decline">[\s\S]*name="reason"[\s\S]*Refuser le devis<\/button><\/p>\s*<\/form>/,
    );
    expect(renderQuotePage({ ...view, actionBase: 'http://127.0.0.1:3000/q/tok/' })).toContain(
      'action="http://127.0.0.1:3000/q/tok/accept"',
    );
  });

  it('binds a label to every field, and the required ones are required', () => {
    const html = renderQuotePage(view);
    const fields = [...html.matchAll(/<(input|textarea)\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !tag.includes('type="hidden"'));
    expect(fields).toHaveLength(3);
    for (const tag of fields) {
      const id = /\bid="([^"]+)"/.exec(tag)?.[1];
      expect(id, tag).toBeDefined();
      expect(html).toContain(`<label for="${id}">`);
    }
    expect(html).toMatch(/<input type="text" id="signerName" name="signerName" required/);
    expect(html).toMatch(/<label for="signerName">Vos nom et prénom/);
    expect(html).toMatch(/<input type="checkbox" id="certifyVat" name="certifyVat" value="on" required>/);
    expect(html).toMatch(/<label for="reason">Motif \(facultatif\)<\/label>/);
    expect(html).not.toMatch(/<textarea[^>]*required/);
    expect(html).toMatch(/<fieldset>\s*<legend>Votre signature<\/legend>/);
    expect(html).toMatch(/<fieldset>\s*<legend>Attestation pour la TVA à taux réduit/);
  });

  it('asks for the certification only with a reduced rate, with the 5.5 % addition only for energy renovation', () => {
    const official =
      'certifie, en qualité de preneur de la prestation, que les travaux réalisés concernent des locaux à usage d’habitation achevés depuis plus de deux ans et qu’ils n’ont pas eu pour effet, sur une période de deux ans au plus, de concourir à la production d’un immeuble neuf au sens du 2° du 2 du I de l’article 257 du CGI, ni d’entraîner une augmentation de la surface de plancher des locaux existants supérieure à 10 %';
    expect(squash(VAT_CERTIFICATION_TEXT)).toBe(official);

    const energy = text(renderQuotePage(view));
    expect(energy).toContain(
      `Je soussigné(e), dont le nom est écrit ci-dessus, ${official} et qu’ils ont la nature de travaux de rénovation énergétique.`,
    );

    const reduced = text(renderQuotePage({ ...view, vatCertification: 'reduced' }));
    expect(reduced).toContain(`${official}.`);
    expect(reduced).not.toContain(VAT_ENERGY_ADDITION);

    const none = renderQuotePage({
      ...view,
      vatCertification: 'none',
      totals: { ...view.totals, vat: [{ rate: '20', baseCents: 523_450, vatCents: 104_690 }] },
    });
    expect(none).not.toContain('certifyVat');
    expect(none).not.toContain('soussigné');
    expect(none).toContain('name="signerName"');
  });

  it('makes any markup in the data inert', () => {
    const evil = '<script>alert(1)</script>';
    const html = renderQuotePage({
      ...view,
      title: evil,
      clientName: `Jean "${evil}" O'Moreau`,
      entrepreneurName: evil,
      issuerName: evil,
      siteAddress: { line1: evil, line2: evil, postalCode: '44200', city: evil },
      pdfSha256: `"><script>x</script>`,
      actionBase: `/q/x"><script>y</script>`,
    });
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Jean &quot;&lt;script&gt;');
    expect(html).toContain('O&#39;Moreau');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(renderQuotePage({ ...view, closed: { reason: 'accepted', at: '2026-03-13T10:00:00Z', by: evil } })).not.toContain('<script');
    expect(renderAccepted({ ...view, title: evil, entrepreneurName: evil })).not.toContain('<script');
    expect(renderDeclined({ ...view, title: evil })).not.toContain('<script');
    expect(renderPageError(evil, evil)).not.toContain('<script');
  });

  it('never links to a non-web URL', () => {
    const html = renderQuotePage({ ...view, pdfUrl: 'javascript:alert(1)', actionBase: '//evil.example.org/q' });
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('evil.example.org');
    expect(html).toContain('href="#"');
  });
});

describe('a closed quote offers nothing to sign', () => {
  it.each([
    [
      { reason: 'accepted', at: '2026-03-13T10:05:00Z', by: 'Jean Moreau' },
      'Ce devis a déjà été accepté le 13 mars 2026 à 11:05 par Jean Moreau.',
    ],
    [{ reason: 'accepted' }, 'Ce devis a déjà été accepté.'],
    [{ reason: 'declined', at: '2026-03-14T09:00:00Z' }, 'Ce devis a été refusé le 14 mars 2026 à 10:00.'],
    [{ reason: 'expired', at: '2026-04-12' }, 'Ce devis a expiré le 12 avril 2026.'],
    [{ reason: 'expired' }, 'Ce devis était valable jusqu’au 11 avril 2026 : il a expiré.'],
    [
      { reason: 'superseded', at: '2026-03-20T08:00:00Z' },
      'Ce devis a été remplacé par une nouvelle révision : vous allez recevoir un nouveau lien.',
    ],
  ] as const)('%o', (closed, sentence) => {
    const html = renderQuotePage({ ...view, closed });
    expect(text(html)).toContain(sentence);
    expect(forms(html)).toHaveLength(0);
    expect(html).not.toMatch(/<input|<button|<textarea|Bon pour accord|certifyVat/);
    expect(html).toContain('role="status"');
    expect(html).toContain('<html lang="fr">');
  });
});

describe('confirmation pages', () => {
  it('renderAccepted confirms in plain words, with the deposit and the PDF', () => {
    const html = renderAccepted({ ...view, closed: { reason: 'accepted', at: '2026-03-13T10:05:00Z', by: 'Jean Moreau' } });
    const t = text(html);
    expect(html).toContain('<html lang="fr">');
    expect(t).toContain('Merci, votre accord est bien enregistré');
    expect(t).toContain('Vous avez accepté le devis n° D-MSG44-2026-000001 le 13 mars 2026 à 11:05 au nom de Jean Moreau.');
    expect(t).toContain(squash(`Montant total : ${formatEuros(557_795)} TTC`));
    expect(t).toContain(squash(formatEuros(167_339)));
    expect(t).toContain('Télécharger le devis (PDF)');
    expect(forms(html)).toHaveLength(0);
  });

  it('renderDeclined acknowledges the refusal', () => {
    const html = renderDeclined(view);
    expect(text(html)).toContain('Votre refus est bien enregistré');
    expect(text(html)).toContain('Vous avez refusé le devis n° D-MSG44-2026-000001 : Isolation des combles et peinture.');
    expect(forms(html)).toHaveLength(0);
  });

  it('renderPageError is a plain page with the title as heading', () => {
    const html = renderPageError('Lien introuvable', "Ce lien n'existe pas.");
    expect(html).toContain('<h1>Lien introuvable</h1>');
    expect(html).toContain('<title>Lien introuvable – Oui Ensemble</title>');
    expect(text(html)).toContain("Ce lien n'existe pas.");
    expect(html).toContain('role="alert"');
  });
});

// ---- The page core ---------------------------------------------------------------------------

const context = { awsRequestId: 'r1', functionName: 'AcceptQuote', getRemainingTimeInMillis: () => 10_000 } as never;

function event({
  body,
  contentType = 'application/x-www-form-urlencoded',
  base64 = false,
  token = 'tok_abcdefghijklmnopqrstuv',
}: {
  body?: string;
  contentType?: string;
  base64?: boolean;
  token?: string;
} = {}) {
  return {
    version: '2.0',
    routeKey: 'POST /q/{token}/accept',
    rawPath: `/q/${token}/accept`,
    rawQueryString: '',
    headers: { 'content-type': contentType, 'user-agent': 'Mozilla/5.0 Secret-Agent' },
    requestContext: {
      requestId: 'req-1',
      http: { method: 'POST', path: `/q/${token}/accept`, sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0 Secret-Agent' },
    },
    pathParameters: { token },
    ...(body !== undefined ? { body: base64 ? Buffer.from(body).toString('base64') : body } : {}),
    isBase64Encoded: base64,
  } as never;
}

describe('pageHandler', () => {
  const seen: unknown[] = [];
  const handler = pageHandler(
    {
      route: 'POST /q/{token}/accept',
      def: findRoute('POST /q/{token}/accept'),
      params: z.object({ token: z.string().regex(/^tok_[a-z]{22}$/) }),
      form: z.object({
        signerName: z.string().trim().min(2, 'Indiquez vos nom et prénom.').max(120),
        certifyVat: z.literal('on').optional(),
        pdfSha256: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    },
    async (request) => {
      seen.push({ params: request.params, form: request.form, sourceIp: request.sourceIp, userAgent: request.userAgent });
      if (request.form.signerName === 'Twice') throw new PageError(409, 'Devis déjà accepté', 'Ce devis a déjà été accepté.');
      if (request.form.signerName === 'Api') throw new ConflictError('quote is accepted');
      if (request.form.signerName === 'Boom') throw new Error('database password is hunter2');
      return { status: 200, html: renderAccepted(view) };
    },
  );
  const sha = 'b'.repeat(64);
  const form = (name: string) => new URLSearchParams({ signerName: name, certifyVat: 'on', pdfSha256: sha }).toString();

  afterEach(() => {
    seen.length = 0;
    vi.restoreAllMocks();
  });

  const expectPageHeaders = (result: { headers?: Record<string, unknown> }) => {
    for (const [name, value] of Object.entries(PAGE_HEADERS)) expect(result.headers?.[name]).toBe(value);
    expect(PAGE_HEADERS['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
  };

  it('hands the validated params and form, the source IP and the user agent to run, and answers its HTML', async () => {
    for (const base64 of [false, true]) {
      const result = await handler(event({ body: form('Jean Moreau-Lefèvre'), base64 }), context);
      expect(result.statusCode).toBe(200);
      expect(result.body).toContain('Merci, votre accord est bien enregistré');
      expectPageHeaders(result);
    }
    expect(seen[1]).toEqual({
      params: { token: 'tok_abcdefghijklmnopqrstuv' },
      form: { signerName: 'Jean Moreau-Lefèvre', certifyVat: 'on', pdfSha256: sha },
      sourceIp: '203.0.113.7',
      userAgent: 'Mozilla/5.0 Secret-Agent',
    });
  });

  it.each([
    ['a malformed token', 404, event({ token: 'nope', body: form('Jean') }), 'Lien introuvable'],
    ['a missing name', 400, event({ body: new URLSearchParams({ pdfSha256: sha }).toString() }), 'Formulaire incomplet'],
    ['a field sent twice', 400, event({ body: `${form('Jean Moreau')}&signerName=Autre` }), 'Formulaire incomplet'],
    ['JSON instead of a form', 415, event({ body: '{"signerName":"Jean"}', contentType: 'application/json' }), 'Formulaire non reconnu'],
    ['no content type', 415, event({ body: form('Jean'), contentType: '' }), 'Formulaire non reconnu'],
    ['more than 16 KiB', 413, event({ body: form('x'.repeat(MAX_FORM_BYTES)) }), 'Formulaire trop long'],
    ['an expected refusal (PageError)', 409, event({ body: form('Twice') }), 'Devis déjà accepté'],
    ['an API refusal from shared code', 409, event({ body: form('Api') }), 'Action impossible'],
  ])('%s → %i as a French page', async (_, status, e, title) => {
    const result = await handler(e, context);
    expect(result.statusCode).toBe(status);
    expect(result.body).toContain(`<h1>${escapeHtml(title)}</h1>`);
    expect(result.body).toContain('<html lang="fr">');
    expect(result.body).not.toMatch(/quote is accepted|problem/);
    expectPageHeaders(result);
  });

  it('tells the form errors in French: the schema’s own messages, never zod’s English ones', async () => {
    const short = await handler(event({ body: form('J') }), context);
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Indiquez vos nom et prénom. Revenez à la page précédente, corrigez le formulaire, puis réessayez.');
    const missing = await handler(event({ body: new URLSearchParams({ signerName: 'Jean Moreau' }).toString() }), context);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Certaines informations manquent ou ne sont pas valides.');
    expect(missing.body).not.toMatch(/Invalid|expected|received|pdfSha256/);
    expect(seen).toHaveLength(0);
  });

  it('answers an unexpected failure with a 500 page that reveals nothing, and logs it without personal data', async () => {
    const lines: string[] = [];
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      vi.spyOn(logger, level).mockImplementation(
        (...args: unknown[]) =>
          void lines.push(JSON.stringify(args, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v))),
      );
    }
    const result = await handler(event({ body: form('Boom') }), context);
    expect(result.statusCode).toBe(500);
    expect(result.body).toContain('<h1>Une erreur est survenue</h1>');
    expect(result.body).not.toContain('hunter2');
    expectPageHeaders(result);
    expect(lines.join('\n')).toContain('hunter2'); // the cause is logged…
    await handler(event({ body: form('Jean Moreau') }), context);
    await handler(event({ body: form('Twice') }), context);
    const logged = lines.join('\n');
    for (const secret of ['Jean Moreau', 'Twice', '203.0.113.7', 'Secret-Agent', sha]) expect(logged).not.toContain(secret); // …the client is not
  });

  it('serves public routes only', () => {
    expect(() => pageHandler({ route: 'POST /quotes', def: findRoute('POST /quotes') }, async () => ({ status: 200, html: '' }))).toThrow(
      /public/,
    );
  });
});
