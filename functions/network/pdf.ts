/**
 * The redevance statement PDF (French), on the shared document layout (../shared/pdf/document.ts:
 * fonts, logo, colours). A pure function of the statement: it formats, it never computes an amount
 * (every figure comes from `computeStatement`). It shows the territory and its two CAEs, the
 * period, the base per CAE, the lines per CAE and rate version (base, rates, conceptual and
 * operational parts), the regularisations of earlier periods, the totals, the rate versions and
 * the rounding rule.
 */
import { formatDate, formatDateTime, formatEuros, formatMonth, formatRate } from '../shared/french.ts';
import { colour, CONTENT_BOTTOM, LEFT, PAGE_HEIGHT, type PdfWriter, RIGHT, renderPdf, size, TOP, WIDTH } from '../shared/pdf/document.ts';
import type { RateVersion, StatementContent, StatementLine } from './domain/redevance.ts';

export interface StatementDocument {
  readonly id: string;
  readonly statement: StatementContent;
  readonly territory: { readonly code: string; readonly name: string };
  readonly caeNames: { readonly SAMAD: string; readonly MSG: string };
  readonly versions: readonly RateVersion[];
  readonly issuedAt: string;
  readonly cutoff: string;
}

/** Basis points → « 2,5 % ». */
const percent = (basisPoints: number) => formatRate(String(basisPoints / 100));

/** « octobre 2026 », « 4e trimestre 2026 ». */
export function periodLabel(period: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) return `${q[2] === '1' ? '1er' : `${q[2]}e`} trimestre ${q[1]}`;
  return formatMonth(period);
}

const basisLabel = {
  invoiced: 'chiffre d’affaires facturé (factures moins avoirs, HT)',
  cashed: 'chiffre d’affaires encaissé (paiements moins remboursements, HT)',
};

export const ROUNDING_RULE =
  'Chaque part de chaque ligne est égale à la base HT multipliée par le taux, arrondie au centime le plus proche (une moitié de centime s’arrondit en s’éloignant de zéro). Les totaux sont les sommes des parts arrondies des lignes.';

const columns = [
  { title: 'Ligne', width: 185, align: 'left' as const },
  { title: 'Base HT', width: 82, align: 'right' as const },
  { title: 'Taux', width: 62, align: 'right' as const },
  { title: 'Part conceptuelle', width: 91, align: 'right' as const },
  { title: 'Part opérationnelle', width: 91.28, align: 'right' as const },
];
const PAD = 5;

function row(w: PdfWriter, cells: readonly string[], opts: { bold?: boolean; band?: string } = {}): void {
  w.style(opts.bold ? 'bold' : 'regular', size.small);
  const height = Math.max(18, w.measure(cells[0]!, columns[0]!.width - 2 * PAD, 1) + 7);
  if (w.y + height > CONTENT_BOTTOM) w.newPage();
  if (opts.band) w.doc.rect(LEFT, w.y, WIDTH, height).fill(opts.band);
  w.style(opts.bold ? 'bold' : 'regular', size.small);
  let x = LEFT;
  cells.forEach((text, i) => {
    const c = columns[i]!;
    if (i === 0) w.doc.text(text, x + PAD, w.y + 4, { width: c.width - 2 * PAD, lineGap: 1 });
    else w.line(text, x + PAD, w.y + 4, { width: c.width - 2 * PAD, align: c.align });
    x += c.width;
  });
  w.y += height;
  w.rule(w.y);
}

function header(w: PdfWriter): void {
  if (w.y + 60 > CONTENT_BOTTOM) w.newPage();
  w.doc.rect(LEFT, w.y, WIDTH, 20).fill(colour.brand);
  w.style('bold', size.small, colour.white);
  let x = LEFT;
  for (const c of columns) {
    w.line(c.title, x + PAD, w.y + 6, { width: c.width - 2 * PAD, align: c.align });
    x += c.width;
  }
  w.y += 20;
}

function lineLabel(l: StatementLine, caeNames: StatementDocument['caeNames']): string {
  const who = `${caeNames[l.cae]} (CAE ${l.cae})`;
  const facts = `${l.facts} ${l.facts > 1 ? 'pièces' : 'pièce'}`;
  return l.kind === 'period'
    ? `${who} — taux du ${formatDate(l.versionFrom)} — ${facts}`
    : `${who} — régularisation de ${periodLabel(l.regularises!)} (taux du ${formatDate(l.versionFrom)}) — ${facts}`;
}

export function renderStatementPdf(p: StatementDocument): Promise<Uint8Array> {
  const s = p.statement;
  const title = `Relevé de redevance — ${periodLabel(s.period)}`;
  const issueDay = p.issuedAt.slice(0, 10);
  return renderPdf(
    { title, subject: `Territoire ${p.territory.code} — ${p.territory.name}`, author: 'Oui Ensemble', date: issueDay },
    (w, assets) => {
      const logoHeight = 34;
      w.doc.image(assets.logo, LEFT - 3, TOP - 2, { height: logoHeight, width: logoHeight * assets.logoRatio });
      w.style('bold', size.title, colour.brand);
      w.line(title, LEFT, TOP, { width: WIDTH, align: 'right' });
      w.style('regular', size.body);
      w.line(`Relevé n° ${p.id}`, LEFT, TOP + 22, { width: WIDTH, align: 'right' });
      w.line(`Établi le ${formatDate(issueDay)}`, LEFT, TOP + 36, { width: WIDTH, align: 'right' });
      w.y = TOP + logoHeight + 30;

      w.definitionList('Territoire et période', [
        ['Territoire', `${p.territory.code} — ${p.territory.name}`],
        ['CAE', `${p.caeNames.SAMAD} (SAMAD) et ${p.caeNames.MSG} (MSG)`],
        ['Période', `du ${formatDate(s.from)} au ${formatDate(s.to)}`],
        [
          'Pièces prises en compte',
          `enregistrées jusqu’au ${formatDateTime(p.cutoff)} ; celles arrivées ensuite figureront en régularisation sur le relevé suivant`,
        ],
      ]);

      w.ensure(80);
      w.label('Base de la redevance par CAE', LEFT, w.y);
      w.y += 15;
      w.style('regular', size.body);
      for (const cae of ['SAMAD', 'MSG'] as const) {
        w.line(`${p.caeNames[cae]} (CAE ${cae})`, LEFT, w.y, { width: WIDTH - 140 });
        w.line(formatEuros(s.baseByCae[cae]), RIGHT - 140, w.y, { width: 140, align: 'right' });
        w.y += 15;
      }
      w.y += 10;

      w.label('Détail par CAE et par version de taux', LEFT, w.y);
      w.y += 14;
      header(w);
      const regular = s.lines.filter((l) => l.kind === 'period');
      const regularisations = s.lines.filter((l) => l.kind === 'regularisation');
      let zebra = false;
      for (const l of regular) {
        row(
          w,
          [
            lineLabel(l, p.caeNames),
            formatEuros(l.baseCents),
            `${percent(l.conceptualBasisPoints)} + ${percent(l.operationalBasisPoints)}`,
            formatEuros(l.conceptualCents),
            formatEuros(l.operationalCents),
          ],
          zebra ? { band: colour.zebra } : {},
        );
        zebra = !zebra;
      }
      if (regular.length === 0) row(w, ['Aucune pièce sur la période', formatEuros(0), '', formatEuros(0), formatEuros(0)]);
      if (regularisations.length) {
        row(w, ['Régularisations des périodes déjà établies (avoirs et remboursements arrivés après leur relevé)', '', '', '', ''], {
          bold: true,
          band: colour.brandLight,
        });
        for (const l of regularisations) {
          row(w, [
            lineLabel(l, p.caeNames),
            formatEuros(l.baseCents),
            `${percent(l.conceptualBasisPoints)} + ${percent(l.operationalBasisPoints)}`,
            formatEuros(l.conceptualCents),
            formatEuros(l.operationalCents),
          ]);
        }
      }
      row(
        w,
        ['Total', formatEuros(s.totals.baseCents), '', formatEuros(s.totals.conceptualCents), formatEuros(s.totals.operationalCents)],
        { bold: true, band: colour.brandLight },
      );
      w.y += 10;

      w.ensure(40);
      w.doc.rect(LEFT, w.y, WIDTH, 28).fill(colour.brand);
      w.style('bold', size.heading, colour.white);
      w.line('Redevance due (part conceptuelle + part opérationnelle)', LEFT + 10, w.y + 8.5, { width: WIDTH - 150 });
      w.line(formatEuros(s.totals.redevanceCents), LEFT, w.y + 8.5, { width: WIDTH - 10, align: 'right' });
      w.y += 44;

      w.definitionList(
        'Versions de taux appliquées',
        p.versions.map((v) => [
          `À partir du ${formatDate(v.from)}`,
          `part conceptuelle ${percent(v.conceptualBasisPoints)}, part opérationnelle ${percent(v.operationalBasisPoints)}, sur le ${basisLabel[v.basis]}, relevé ${v.frequency === 'monthly' ? 'mensuel' : 'trimestriel'}`,
        ]),
      );
      w.notesBlock(
        `${ROUNDING_RULE} La part conceptuelle rémunère les ressources conceptuelles (la SAS propriétaire du concept et ses concepteurs) ; la part opérationnelle finance le fonctionnement du réseau. Le détail pièce par pièce (factures, avoirs, paiements) est disponible dans le back-office.`,
        'Mode de calcul',
      );

      // Footer on every page.
      const range = w.doc.bufferedPageRange();
      for (let page = range.start; page < range.start + range.count; page++) {
        w.doc.switchToPage(page);
        const footerTop = PAGE_HEIGHT - 50;
        w.rule(footerTop);
        w.style('regular', 8, colour.muted);
        w.line(`Oui Ensemble — relevé de redevance ${p.id} — empreinte ${s.contentHash.slice(0, 16)}`, LEFT, footerTop + 8, {
          width: WIDTH - 80,
        });
        w.style('bold', size.body);
        w.line(`Page ${page - range.start + 1} / ${range.count}`, LEFT, footerTop + 8, { width: WIDTH, align: 'right' });
      }
    },
  );
}
