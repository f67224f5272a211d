/**
 * The payslip PDF of an entrepreneur-salarié, on the shared document layout
 * (`../shared/pdf/document.ts`: fonts, logo, colours, footer with the CAE's legal identity and
 * « Page n / N »). A pure function of a resolved `PayslipDocument`: it formats, it never computes
 * an amount (every figure comes from `computePayslip` and `monthStatement`).
 *
 * Mentions (C. trav. R3243-1 and the simplified payslip of décret 2016-190 / arrêté du 25 février
 * 2016, LEGAL-FR §9.2):
 * - employer: name, address, NAF code, SIRET, the URSSAF it pays to when given, the collective
 *   agreement applied; employee: name, job, classification; the period and the hours paid;
 * - gross pay; each contribution grouped by risk (santé, accidents du travail, retraite, famille,
 *   assurance chômage, autres contributions de l'employeur, CSG/CRDS) with its base, rate and amount,
 *   employee and employer parts; the exemptions (RGDU) shown; the total of contributions and the
 *   total employer cost (« total versé par l'employeur »);
 * - net before income tax, « montant net social », net taxable, the withholding (base, rate — the
 *   personal rate sent by the DGFiP or the neutral grid, said which — and amount), the expense
 *   reimbursements as a non-taxable line, the net paid and the payment date; leave taken when any;
 * - « Dans le but de vous aider à faire valoir vos droits, conservez ce bulletin de paie sans
 *   limitation de durée » and the service-public.fr page on the payslip.
 * Second part (C. trav. L7332-3): the month's statement of the activity account (credits,
 * cooperative contribution, expenses, salary cost, regularisations, balances).
 *
 * No NIR is printed (LEGAL-FR §8: minimise; R3243-1 does not require it).
 */
import { formatDate, formatEuros, formatMonth, formatQuantity } from '../shared/french.ts';
import type { IssuerIdentity, PostalAddress } from '../shared/documents.ts';
import {
  addressLines,
  colour,
  CONTENT_BOTTOM,
  formatPercent,
  formatSiret,
  LEFT,
  type PartyBox,
  type PdfWriter,
  renderPdf,
  RIGHT,
  size,
  TOP,
  WIDTH,
} from '../shared/pdf/document.ts';
import type { MonthStatement, Movement, MovementKind } from './domain/activity-account.ts';
import type { ContributionLine, PayslipComputation, Risk } from './engine.ts';

export interface PayslipDocument {
  /** The payslip's number in the CAE's series. */
  readonly number: string;
  /** `YYYY-MM-DD` */
  readonly issueDate: string;
  /** `YYYY-MM-DD` */
  readonly paymentDate: string;
  readonly employer: {
    /** The CAE: name, legal form, capital, SIRET, RCS, VAT number, address (also the footer of every page). */
    readonly identity: IssuerIdentity;
    /** Code NAF / APE, e.g. « 7830Z ». */
    readonly naf: string;
    /** The collective agreement applied, with its IDCC, or a sentence saying none applies. */
    readonly collectiveAgreement: string;
    /** The URSSAF the contributions are paid to and the account number, when known. */
    readonly urssaf?: string | undefined;
  };
  readonly employee: {
    readonly name: string;
    readonly address?: PostalAddress | undefined;
    /** The job held (emploi). */
    readonly job: string;
    /** The position in the agreement's classification (level, coefficient). */
    readonly classification: string;
    /** e.g. « Contrat d’entrepreneur salarié associé (CESA) ». */
    readonly contract?: string | undefined;
    /** `YYYY-MM-DD` */
    readonly entryDate?: string | undefined;
  };
  readonly computation: PayslipComputation;
  /** The expenses reimbursed with this pay; they add up to `computation.expenseReimbursementCents`. */
  readonly expenses: readonly { readonly label: string; readonly date: string; readonly amountCents: number }[];
  /** Leave taken in the period, if any (R3243-1: dates and the corresponding pay). */
  readonly leave?: { readonly dates: string; readonly payCents: number } | undefined;
  /** The month's activity-account statement (`monthStatement(movements, period)`). */
  readonly statement: MonthStatement;
}

export const KEEP_MENTION = 'Dans le but de vous aider à faire valoir vos droits, conservez ce bulletin de paie sans limitation de durée.';
export const SERVICE_PUBLIC_MENTION =
  'Pour en savoir plus sur votre bulletin de paie : rubrique « Bulletin de paie » du site www.service-public.fr.';

export const riskTitles: Record<Risk, string> = {
  santé: 'Santé',
  'accidents du travail': 'Accidents du travail – maladies professionnelles',
  retraite: 'Retraite',
  famille: 'Famille',
  chômage: 'Assurance chômage',
  autres: 'Autres contributions dues par l’employeur',
  'CSG/CRDS': 'CSG et CRDS',
};

export const movementLabels: Record<MovementKind, string> = {
  turnover: 'Chiffre d’affaires HT',
  contribution: 'Contribution coopérative',
  expense: 'Note de frais',
  payslip: 'Salaire (coût total employeur)',
  regularisation: 'Régularisation',
};

/** '2026-11' → « du 1er au 30 novembre 2026 » */
export function periodSpan(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `du 1er au ${last} ${formatMonth(period)}`;
}

/** U+2212, the minus sign, before a deducted amount. */
const minus = (cents: number) => `\u2212\u00a0${formatEuros(cents)}`;
const signed = (cents: number) => (cents < 0 ? minus(-cents) : formatEuros(cents));
/** A debit of the statement: « − 12,00 € », or « 0,00 € ». */
const out = (cents: number) => (cents === 0 ? formatEuros(0) : minus(cents));
const hours = (h: number) => `${formatQuantity(h)}\u00a0h`;

export async function renderPayslipPdf(p: PayslipDocument): Promise<Uint8Array> {
  const c = p.computation;
  const reimbursed = p.expenses.reduce((sum, e) => sum + e.amountCents, 0);
  if (reimbursed !== c.expenseReimbursementCents) {
    throw new Error('The expenses listed do not add up to the reimbursement of the computation');
  }
  if (p.statement.period !== c.period) throw new Error('The statement is not of the payslip’s month');
  const title = `Bulletin de paie n° ${p.number}`;
  const meta = {
    title,
    subject: `Bulletin de paie de ${formatMonth(c.period)}`,
    author: p.employer.identity.legalName,
    date: p.issueDate,
  };
  return renderPdf(meta, (w, assets) => {
    header(w, assets, p, title);
    w.partyBoxes(employerBox(p), employeeBox(p));
    payBlock(w, p);
    contributionsTable(w, c);
    netBlock(w, p);
    w.framedText('À conserver', `${KEEP_MENTION} ${SERVICE_PUBLIC_MENTION}`);
    w.style('regular', size.small, colour.muted);
    w.ensure(30);
    w.y += w.paragraph(
      `Calcul des cotisations : modele-social ${c.modeleSocialVersion} (règles publiées par l’Urssaf), taux et plafonds en vigueur le ${formatDate(c.situationDate)}.`,
      LEFT,
      w.y,
      WIDTH,
    );
    statementPart(w, p);
    w.pageFurniture(`${title} — ${p.employee.name} — ${formatMonth(c.period)}`, p.issueDate, p.employer.identity);
  });
}

// ---- Page 1 -----------------------------------------------------------------------------------

function header(w: PdfWriter, assets: { logo: Buffer; logoRatio: number }, p: PayslipDocument, title: string): void {
  const logoHeight = 34;
  w.doc.image(assets.logo, LEFT - 3, TOP - 2, { height: logoHeight, width: logoHeight * assets.logoRatio });
  const right = (text: string, y: number) => w.line(text, LEFT, y, { width: WIDTH, align: 'right' });
  w.style('bold', size.title, colour.brand);
  right(title, TOP);
  w.style('bold', size.body);
  right(`Période : ${periodSpan(p.computation.period)}`, TOP + 22);
  w.style('regular', size.body);
  right(`Date de paiement : ${formatDate(p.paymentDate)}`, TOP + 36);
  w.style('regular', size.small, colour.muted);
  right(`Émis le ${formatDate(p.issueDate)}`, TOP + 50);
  w.y = TOP + 72;
}

function employerBox(p: PayslipDocument): PartyBox {
  const e = p.employer;
  return {
    title: 'Employeur',
    name: e.identity.legalName,
    lines: [
      ...addressLines(e.identity.address),
      `SIRET ${formatSiret(e.identity.siret)} — code NAF ${e.naf}`,
      ...(e.urssaf ? [`Cotisations versées à : ${e.urssaf}`] : []),
      `Convention collective : ${e.collectiveAgreement}`,
    ],
  };
}

function employeeBox(p: PayslipDocument): PartyBox {
  const e = p.employee;
  return {
    title: 'Salarié',
    name: e.name,
    lines: [
      ...(e.address ? addressLines(e.address) : []),
      `Emploi : ${e.job}`,
      `Classification : ${e.classification}`,
      ...(e.contract ? [e.contract] : []),
      ...(e.entryDate ? [`Date d’entrée : ${formatDate(e.entryDate)}`] : []),
    ],
  };
}

/** Hours and gross pay. */
function payBlock(w: PdfWriter, p: PayslipDocument): void {
  const c = p.computation;
  const time =
    c.partTimeHoursPerWeek === null
      ? 'temps plein (151,67 h par mois)'
      : `temps partiel, ${formatQuantity(c.partTimeHoursPerWeek)}\u00a0h par semaine`;
  w.ensure(60);
  w.label('Rémunération', LEFT, w.y);
  w.y += 15;
  amountRows(w, [
    [`Heures rémunérées du mois : ${hours(c.hoursPerMonth)} (${time})`, ''],
    ['Salaire brut', formatEuros(c.grossCents)],
  ]);
  w.y += 10;
}

/** Rows of a label on the left and an amount on the right edge, the last one bold above a rule. */
function amountRows(w: PdfWriter, rows: readonly (readonly [string, string])[], rowH = 18, boldLast = true): void {
  const amountWidth = 110;
  rows.forEach(([text, amount], k) => {
    const last = boldLast && k === rows.length - 1;
    if (last) w.rule(w.y - 1);
    w.style(last ? 'bold' : 'regular', size.body);
    w.line(text, LEFT, w.y + 3, { width: WIDTH - amountWidth - 10 });
    if (amount) w.line(amount, RIGHT - amountWidth, w.y + 3, { width: amountWidth - 4, align: 'right' });
    w.y += rowH;
  });
}

const col = (() => {
  const specs = [
    { key: 'label', title: 'Cotisations et contributions', width: 0, align: 'left' },
    { key: 'base', title: 'Base', width: 64, align: 'right' },
    { key: 'employeeRate', title: 'Taux salarié', width: 46, align: 'right' },
    { key: 'employee', title: 'Part salarié', width: 64, align: 'right' },
    { key: 'employerRate', title: 'Taux employeur', width: 58, align: 'right' },
    { key: 'employer', title: 'Part employeur', width: 68, align: 'right' },
  ] as const;
  const labelWidth = WIDTH - specs.reduce((s, c) => s + c.width, 0);
  let x = LEFT;
  return specs.map((c) => {
    const width = c.key === 'label' ? labelWidth : c.width;
    const out = { ...c, width, x };
    x += width;
    return out;
  });
})();
type Cells = Partial<Record<(typeof col)[number]['key'], string>>;
const PAD = 4;
const HEAD_H = 26;
const ROW_H = 16;

function tableHead(w: PdfWriter): void {
  w.doc.rect(LEFT, w.y, WIDTH, HEAD_H).fill(colour.brand);
  w.style('bold', size.label, colour.white);
  for (const c of col) {
    if (c.key === 'label') {
      w.line(c.title, c.x + PAD, w.y + 9, { width: c.width - 2 * PAD });
      continue;
    }
    // Two short lines for the narrow columns (« Taux / salarié »).
    const [a, b] = c.title.includes(' ')
      ? [c.title.slice(0, c.title.indexOf(' ')), c.title.slice(c.title.indexOf(' ') + 1)]
      : [c.title, ''];
    w.line(a, c.x + PAD, w.y + 4, { width: c.width - 2 * PAD, align: 'right' });
    if (b) w.line(b, c.x + PAD, w.y + 14, { width: c.width - 2 * PAD, align: 'right' });
  }
  w.y += HEAD_H;
}

function row(w: PdfWriter, cells: Cells, opts: { bold?: boolean; band?: string; zebra?: boolean } = {}): void {
  w.style(opts.bold ? 'bold' : 'regular', size.small);
  // A band (the risk's title) spans the whole row.
  const labelWidth = (opts.band ? WIDTH : col[0]!.width) - 2 * PAD;
  const height = Math.max(ROW_H, w.measure(cells.label ?? '', labelWidth, 1) + 6);
  if (w.y + height > CONTENT_BOTTOM) {
    w.newPage();
    tableHead(w);
  }
  if (opts.band) w.doc.rect(LEFT, w.y, WIDTH, height).fill(opts.band);
  else if (opts.zebra) w.doc.rect(LEFT, w.y, WIDTH, height).fill(colour.zebra);
  w.style(opts.bold ? 'bold' : 'regular', size.small, opts.band === colour.brandLight ? colour.brand : colour.text);
  for (const c of col) {
    const text = cells[c.key];
    if (!text) continue;
    if (c.key === 'label') w.doc.text(text, c.x + PAD, w.y + 4, { width: labelWidth, lineGap: 1 });
    else w.line(text, c.x + PAD, w.y + 4, { width: c.width - 2 * PAD, align: 'right' });
  }
  w.y += height;
  w.rule(w.y);
}

const rate = (r: number | null) => (r === null ? '' : formatPercent(r));
const amount = (cents: number, r: number | null) => (cents === 0 && r === null ? '' : formatEuros(cents));

function lineCells(l: ContributionLine): Cells {
  return {
    label: l.label,
    base: l.baseCents === null ? 'forfait' : formatEuros(l.baseCents),
    employeeRate: rate(l.employeeRate),
    employee: amount(l.employeeCents, l.employeeRate),
    employerRate: rate(l.employerRate),
    employer: amount(l.employerCents, l.employerRate),
  };
}

/** The simplified payslip: lines grouped by risk, the exemptions, the totals. */
function contributionsTable(w: PdfWriter, c: PayslipComputation): void {
  if (w.y + HEAD_H + 4 * ROW_H > CONTENT_BOTTOM) w.newPage();
  tableHead(w);
  for (const g of c.groups) {
    row(w, { label: riskTitles[g.risk].toUpperCase() }, { bold: true, band: colour.brandLight });
    g.lines.forEach((l, i) => row(w, lineCells(l), { zebra: i % 2 === 1 }));
  }
  // The exemptions and the total stay together, and never alone at the top of a page.
  if (w.y + (3 + 2 * c.exemptions.length) * ROW_H > CONTENT_BOTTOM) {
    w.newPage();
    tableHead(w);
  }
  if (c.exemptions.length > 0) {
    row(w, { label: 'EXONÉRATIONS ET ALLÈGEMENTS DE COTISATIONS' }, { bold: true, band: colour.brandLight });
    for (const x of c.exemptions) {
      row(w, {
        label: x.label,
        employee: x.employeeCents === 0 ? '' : minus(x.employeeCents),
        employer: x.employerCents === 0 ? '' : minus(x.employerCents),
      });
    }
  }
  row(
    w,
    {
      label: 'Total des cotisations et contributions',
      employee: formatEuros(c.employeeContributionsCents),
      employer: formatEuros(c.employerContributionsCents),
    },
    { bold: true },
  );
  w.y += 12;
}

/** From net before tax to net paid, and what the month cost the employer. */
function netBlock(w: PdfWriter, p: PayslipDocument): void {
  const c = p.computation;
  const wh = c.withholding;
  const rateKind =
    wh.source === 'dgfip'
      ? `taux personnalisé transmis par l’administration fiscale le ${formatDate(wh.date)}`
      : `taux non personnalisé (grille du taux neutre en vigueur depuis le ${formatDate(wh.date)})`;
  const rows: [string, string][] = [
    ['Net à payer avant impôt sur le revenu', formatEuros(c.netBeforeTaxCents)],
    ['Montant net social', formatEuros(c.netSocialCents)],
    ['Net imposable', formatEuros(c.netTaxableCents)],
    [
      `Impôt sur le revenu prélevé à la source : base ${formatEuros(wh.baseCents)}, taux ${formatPercent(wh.rate)} (${rateKind})`,
      minus(wh.amountCents),
    ],
    ...p.expenses.map((e): [string, string] => [
      `Remboursement de frais professionnels, non imposable : ${e.label} (${formatDate(e.date)})`,
      formatEuros(e.amountCents),
    ]),
    ...(p.leave
      ? [
          [`Congés payés pris : ${p.leave.dates} — indemnité comprise dans le salaire brut`, formatEuros(p.leave.payCents)] as [
            string,
            string,
          ],
        ]
      : []),
  ];
  w.style('regular', size.body);
  const labelWidth = WIDTH - 130;
  const heights = rows.map(([t]) => Math.max(18, w.measure(t, labelWidth, 1) + 6));
  w.ensure(16 + heights.reduce((s, h) => s + h, 0) + 90);
  w.label('Net à payer', LEFT, w.y);
  w.y += 15;
  rows.forEach(([text, value], k) => {
    w.style('regular', size.body);
    w.doc.text(text, LEFT, w.y + 3, { width: labelWidth, lineGap: 1 });
    w.line(value, RIGHT - 110, w.y + 3, { width: 106, align: 'right' });
    w.y += heights[k]!;
    w.rule(w.y - 1);
  });
  w.y += 6;

  // Net paid, in a band, with its date.
  const doc = w.doc;
  const top = w.y;
  doc.roundedRect(LEFT, top, WIDTH, 30, 3).fill(colour.brand);
  w.style('bold', size.heading, colour.white);
  w.line(`Net payé le ${formatDate(p.paymentDate)}`, LEFT + 10, top + 8.5, { width: WIDTH - 150 });
  w.line(formatEuros(c.netPaidCents), LEFT, top + 8.5, { width: WIDTH - 10, align: 'right' });
  w.y = top + 38;
  amountRows(
    w,
    [
      ['Total versé par l’employeur (coût total du salaire)', formatEuros(c.employerCostCents)],
      ...(c.exemptionsCents > 0
        ? [['dont allègements de cotisations patronales', formatEuros(c.exemptionsCents)] as [string, string]]
        : []),
    ],
    18,
    false,
  );
  w.y += 10;
}

// ---- Second part: the activity account ------------------------------------------------------

function statementPart(w: PdfWriter, p: PayslipDocument): void {
  const s = p.statement;
  w.newPage();
  w.style('bold', size.title, colour.brand);
  w.line(`Relevé du compte d’activité — ${formatMonth(s.period)}`, LEFT, w.y);
  w.y += 24;
  w.style('regular', size.body, colour.muted);
  w.y +=
    w.paragraph(
      'Votre compte d’activité reçoit le chiffre d’affaires hors taxes de votre activité ; la contribution coopérative, vos frais professionnels et le coût total de votre salaire y sont prélevés (article L7332-3 du Code du travail).',
      LEFT,
      w.y,
      WIDTH,
    ) + 12;

  // The month's movements, one by one.
  const columns = { date: 82, credit: 96, debit: 96 };
  const labelWidth = WIDTH - columns.date - columns.credit - columns.debit;
  const head = () => {
    w.doc.rect(LEFT, w.y, WIDTH, 20).fill(colour.brand);
    w.style('bold', size.small, colour.white);
    w.line('Date', LEFT + PAD, w.y + 6);
    w.line('Opération', LEFT + columns.date + PAD, w.y + 6);
    w.line('Crédit', RIGHT - columns.credit - columns.debit, w.y + 6, { width: columns.credit - PAD, align: 'right' });
    w.line('Débit', RIGHT - columns.debit, w.y + 6, { width: columns.debit - PAD, align: 'right' });
    w.y += 20;
  };
  head();
  const movementRow = (m: Movement, zebra: boolean) => {
    const label = m.label ? `${movementLabels[m.kind]} — ${m.label}` : movementLabels[m.kind];
    w.style('regular', size.small);
    const height = Math.max(17, w.measure(label, labelWidth - 2 * PAD, 1) + 7);
    if (w.y + height > CONTENT_BOTTOM) {
      w.newPage();
      head();
    }
    if (zebra) w.doc.rect(LEFT, w.y, WIDTH, height).fill(colour.zebra);
    w.style('regular', size.small);
    w.line(formatDate(m.at), LEFT + PAD, w.y + 4, { width: columns.date - 2 * PAD });
    w.doc.text(label, LEFT + columns.date + PAD, w.y + 4, { width: labelWidth - 2 * PAD, lineGap: 1 });
    const credit = m.amountCents > 0 ? formatEuros(m.amountCents) : '';
    const debit = m.amountCents < 0 ? formatEuros(-m.amountCents) : '';
    w.line(credit, RIGHT - columns.credit - columns.debit, w.y + 4, { width: columns.credit - PAD, align: 'right' });
    w.line(debit, RIGHT - columns.debit, w.y + 4, { width: columns.debit - PAD, align: 'right' });
    w.y += height;
    w.rule(w.y);
  };
  if (s.movements.length === 0) {
    w.style('regular', size.small, colour.muted);
    w.line('Aucune opération ce mois-ci.', LEFT + PAD, w.y + 4);
    w.y += 17;
  }
  s.movements.forEach((m, i) => movementRow(m, i % 2 === 1));
  w.y += 16;

  // The summary: opening balance, what came in and out by kind, closing balance.
  const rows: [string, string][] = [
    [`Solde au début du mois`, signed(s.openingBalanceCents)],
    ['Chiffre d’affaires HT du mois', signed(s.turnoverCents)],
    ['Contribution coopérative', out(s.contributionCents)],
    ['Frais professionnels remboursés (notes de frais validées)', out(s.expensesCents)],
    ['Salaire : coût total employeur', out(s.salaryCostCents)],
    ...(s.regularisationCents !== 0 ? [['Régularisations', signed(s.regularisationCents)] as [string, string]] : []),
    [`Solde à la fin du mois`, signed(s.closingBalanceCents)],
  ];
  w.ensure(16 + rows.length * 18 + 10);
  w.label('Synthèse du mois', LEFT, w.y);
  w.y += 15;
  amountRows(w, rows);
}
