/**
 * The one layout of every page a client opens from a link (quotes now, payment pages later), and
 * the escaping every renderer uses. Written for elderly readers on a phone: large text, strong
 * contrast, big targets, one column. No JavaScript; inline CSS only (the pages' CSP allows nothing
 * else).
 */
import type { PostalAddress } from './documents.ts';

/** Escapes the five characters that matter in HTML text and quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Only web links (absolute http(s) or same-site paths) end up in `href`/`action`; anything else is inert. */
export function safeUrl(url: string): string {
  return /^(https?:\/\/|\/(?!\/))/i.test(url.trim()) ? escapeHtml(url.trim()) : '#';
}

/** A postal address as HTML: its lines escaped, one per `<br>` line, empty ones left out. */
export const addressHtml = (a: PostalAddress): string =>
  [a.line1, a.line2, `${a.postalCode} ${a.city}`]
    .filter((l): l is string => Boolean(l?.trim()))
    .map(escapeHtml)
    .join('<br>');

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:112.5%;-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f4f4f1;color:#111;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;line-height:1.55}
.skip{position:absolute;left:-999em}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem 1rem;z-index:1}
header.site{background:#0b4f2c;color:#fff;padding:.75rem 0}
header.site p{margin:0 auto;max-width:42rem;padding:0 1rem;font-weight:700;font-size:1.15rem}
main{display:block;max-width:42rem;margin:0 auto;padding:1rem 1rem 2rem}
h1{font-size:1.75rem;line-height:1.25;margin:1rem 0 .5rem}
h2{font-size:1.35rem;line-height:1.3;margin:0 0 .75rem}
section,.notice{background:#fff;border:1px solid #c8c8c0;border-radius:.5rem;padding:1rem 1.1rem;margin:1rem 0}
.lead{font-size:1.1rem;margin:.25rem 0 0}
.notice{border:3px solid #0b4f2c;background:#eef7f0}
.notice.stop{border-color:#8a1c1c;background:#fbeeee}
.notice p{margin:.25rem 0}
.notice strong{font-size:1.15rem}
dl{margin:0}
dl.facts dt{font-weight:700;margin-top:.6rem}
dl.facts dt:first-child{margin-top:0}
dl.facts dd{margin:0}
dl.totals>div{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:0 1rem;padding:.35rem 0}
dl.totals dt{margin:0;flex:1 1 10rem}
dl.totals dd{margin:0 0 0 auto;text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
dl.totals .gross{border-top:2px solid #111;border-bottom:2px solid #111;margin:.35rem 0;padding:.6rem 0}
dl.totals .gross dt{font-weight:700}
dl.totals .gross dd{font-weight:700;font-size:1.45rem}
table{width:100%;border-collapse:collapse;margin:1.25rem 0 .25rem;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:700;padding-bottom:.35rem}
th,td{padding:.45rem .4rem;border-bottom:1px solid #8a8a80;text-align:right}
th:first-child{text-align:left}
thead th{border-bottom:2px solid #111}
a{color:#0b3d91;text-decoration-thickness:.1em;text-underline-offset:.15em}
a:hover{color:#062a66}
.button{display:inline-flex;align-items:center;justify-content:center;min-height:3rem;padding:.6rem 1.25rem;border-radius:.4rem;font:inherit;font-weight:700;font-size:1.15rem;text-align:center;cursor:pointer;text-decoration:none;border:3px solid #0b4f2c;background:#0b4f2c;color:#fff;width:100%}
.button:hover{background:#083b21;border-color:#083b21;color:#fff}
.button.secondary{background:#fff;color:#0b4f2c}
.button.secondary:hover{background:#eef7f0;color:#083b21}
.button.refuse{background:#fff;color:#8a1c1c;border-color:#8a1c1c}
.button.refuse:hover{background:#fbeeee;color:#6b1414}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,summary:focus-visible{outline:4px solid #ffbf00;outline-offset:2px;box-shadow:0 0 0 7px #111}
fieldset{border:0;margin:0 0 1.25rem;padding:0;min-width:0}
legend{font-weight:700;font-size:1.15rem;padding:0;margin-bottom:.5rem}
label{display:block;font-weight:700;margin-bottom:.35rem}
.hint{margin:.1rem 0 .5rem;color:#333}
input[type=text],input[type=date],textarea{display:block;width:100%;min-height:3rem;padding:.6rem .75rem;font:inherit;font-size:1.15rem;color:#111;background:#fff;border:2px solid #333;border-radius:.3rem}
textarea{min-height:6rem;resize:vertical}
.check{display:grid;grid-template-columns:auto 1fr;gap:.75rem;align-items:start;border:2px solid #333;border-radius:.4rem;padding:.75rem;background:#fff}
.check input{width:2rem;height:2rem;margin:.15rem 0 0;accent-color:#0b4f2c}
.check label{font-weight:400;margin:0}
.required{color:#8a1c1c;font-weight:700}
.nowrap{white-space:nowrap}
footer{max-width:42rem;margin:0 auto;padding:0 1rem 2rem;color:#333;font-size:.95rem}
@media (min-width:36rem){.button{width:auto;min-width:16rem}}
/* The pay page (functions/payments/page.ts): the legal number under the heading, the amount to pay large, one wide button. */
h1 .ref{display:block;font-size:1.2rem;margin-top:.2rem;overflow-wrap:anywhere}
.notice.info{border-color:#0b3d91;background:#eef3fb}
section.pay{border:3px solid #0b4f2c}
section.pay h2{font-size:1.15rem;margin:0}
.amount{font-size:2.5rem;font-weight:800;line-height:1.15;margin:.1rem 0 .35rem;font-variant-numeric:tabular-nums}
.button.pay-button{width:100%;min-height:3.75rem;font-size:1.35rem;margin:.5rem 0 .25rem}
.pdf a{font-weight:700;font-size:1.1rem}
dl.totals .sum{border-top:2px solid #111;margin-top:.35rem;padding-top:.6rem;font-weight:700}
`;

interface LayoutOptions {
  readonly title: string;
  readonly body: string;
}

/** The one layout of every client page. */
export function layout({ title, body }: LayoutOptions): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} – Oui Ensemble</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#contenu">Aller au contenu</a>
<header class="site"><p>Oui Ensemble</p></header>
<main id="contenu">
${body}
</main>
<footer><p>Oui Ensemble – réseau de coopératives d’activité et d’emploi.</p></footer>
</body>
</html>
`;
}

/** A refusal or a failure, as a plain French page (the status goes in the HTTP response). */
export function renderPageError(titleFr: string, messageFr: string): string {
  const body = `<h1>${escapeHtml(titleFr)}</h1>
<div class="notice stop" role="alert">
<p>${escapeHtml(messageFr)}</p>
</div>`;
  return layout({ title: titleFr, body });
}
