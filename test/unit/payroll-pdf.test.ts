/**
 * functions/payroll/pdf.ts: the payslip read back with poppler's pdftotext. Every mention of
 * C. trav. R3243-1 and of the simplified payslip (LEGAL-FR §9.2), every figure of the computation,
 * and the activity-account statement as the second part. Needs Debian's poppler-utils.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { warmPayrollEngine } from '../../functions/payroll/engine.ts';
import { KEEP_MENTION, renderPayslipPdf, riskTitles, SERVICE_PUBLIC_MENTION, type PayslipDocument } from '../../functions/payroll/pdf.ts';
import { formatEuros } from '../../functions/shared/french.ts';
import { flat, type Read, usePdfReader } from '../support/pdf-text.ts';
import { payslipDocument, payslipRequest } from '../support/payslip-fixtures.ts';

const read = usePdfReader('payslip');
const euros = (cents: number) => flat(formatEuros(cents));
const minus = (cents: number) => `− ${euros(cents)}`;

let doc: PayslipDocument;
let pdf: Read;
beforeAll(async () => {
  await warmPayrollEngine();
  doc = await payslipDocument();
  pdf = read(await renderPayslipPdf(doc));
}, 30_000);

describe('the payslip PDF', () => {
  it('is an A4 with embedded fonts, « Page n / N » and the employer’s identity on every page', () => {
    expect(pdf.info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)/m);
    expect(pdf.fonts).not.toMatch(/Helvetica|Times|Courier/);
    expect(pdf.info).toMatch(/^Title:\s+Bulletin de paie n° BP-2026-0007$/m);
    pdf.pages.forEach((page, n) => {
      expect(flat(page)).toContain(`Page ${n + 1} / ${pdf.pageCount}`);
      expect(flat(page)).toContain('SIRET 901 122 440 00018');
    });
  });

  it.each([
    ['the document and its number', () => 'Bulletin de paie n° BP-2026-0007'],
    ['the period', () => 'Période : du 1er au 31 octobre 2026'],
    ['the payment date', () => 'Date de paiement : 31 octobre 2026'],
    ['the employer’s name', () => 'Oui Ensemble CAE Rhône-Alpes'],
    ['the employer’s address', () => '12 rue des Tanneurs'],
    ['the SIRET and NAF code', () => 'SIRET 901 122 440 00018 — code NAF 7830Z'],
    ['the URSSAF', () => 'Cotisations versées à : Urssaf Rhône-Alpes'],
    ['the collective agreement', () => 'Convention collective : aucune convention collective étendue'],
    ['the employee', () => 'Claire Dubois-Martinet'],
    ['the job', () => 'Emploi : Formatrice (entrepreneure salariée)'],
    ['the classification', () => 'Classification : non-cadre, niveau E2'],
    ['the hours', () => 'Heures rémunérées du mois : 94,5 h (temps partiel, 21,81 h par semaine)'],
    ['the gross pay', () => `Salaire brut ${euros(doc.computation.grossCents)}`],
    [
      'the contributions total',
      () =>
        `Total des cotisations et contributions ${euros(doc.computation.employeeContributionsCents)} ${euros(doc.computation.employerContributionsCents)}`,
    ],
    [
      'the RGDU',
      () => `Réduction générale dégressive unique des cotisations patronales (RGDU) ${minus(doc.computation.exemptions[0]!.employerCents)}`,
    ],
    ['the net before tax', () => `Net à payer avant impôt sur le revenu ${euros(doc.computation.netBeforeTaxCents)}`],
    ['the « montant net social »', () => `Montant net social ${euros(doc.computation.netSocialCents)}`],
    ['the net taxable', () => `Net imposable ${euros(doc.computation.netTaxableCents)}`],
    [
      'the withholding base, rate and amount',
      () =>
        `Impôt sur le revenu prélevé à la source : base ${euros(doc.computation.withholding.baseCents)}, taux 4,2 % (taux personnalisé transmis par l’administration fiscale le 12 septembre 2026) ${minus(doc.computation.withholding.amountCents)}`,
    ],
    [
      'each expense reimbursed, non-taxable',
      () => `Remboursement de frais professionnels, non imposable : train Lyon – Grenoble, formation (9 octobre 2026) ${euros(8_640)}`,
    ],
    ['the net paid and its date', () => `Net payé le 31 octobre 2026 ${euros(doc.computation.netPaidCents)}`],
    ['the total employer cost', () => `Total versé par l’employeur (coût total du salaire) ${euros(doc.computation.employerCostCents)}`],
    ['the exemptions', () => `dont allègements de cotisations patronales ${euros(doc.computation.exemptionsCents)}`],
    ['the keep-forever mention', () => KEEP_MENTION],
    ['the service-public.fr mention', () => SERVICE_PUBLIC_MENTION],
    ['the rules used', () => 'modele-social 11.1.0 (règles publiées par l’Urssaf)'],
  ])('prints %s', (_what, text) => {
    expect(pdf.raw).toContain(flat(text()));
  });

  it('groups the contributions by risk, each line with its base, rates and amounts', () => {
    const c = doc.computation;
    const titles = c.groups.map((g) => riskTitles[g.risk].toUpperCase());
    expect(titles).toEqual([
      'SANTÉ',
      'ACCIDENTS DU TRAVAIL – MALADIES PROFESSIONNELLES',
      'RETRAITE',
      'FAMILLE',
      'ASSURANCE CHÔMAGE',
      'AUTRES CONTRIBUTIONS DUES PAR L’EMPLOYEUR',
      'CSG ET CRDS',
    ]);
    // in this order in the document
    // (pdftotext may cut an upper-case line before its apostrophe)
    const positions = titles.map((t) => pdf.raw.replace(/ ’/g, '’').indexOf(t));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
    const pct = (r: number) => `${String(r).replace('.', ',')} %`;
    for (const l of c.groups.flatMap((g) => g.lines)) {
      const cells = [
        l.baseCents === null ? 'forfait' : euros(l.baseCents),
        ...(l.employeeRate === null ? [] : [pct(l.employeeRate)]),
        ...(l.employeeRate === null && l.employeeCents === 0 ? [] : [euros(l.employeeCents)]),
        ...(l.employerRate === null ? [] : [pct(l.employerRate)]),
        ...(l.employerRate === null && l.employerCents === 0 ? [] : [euros(l.employerCents)]),
      ];
      expect(pdf.raw, l.key).toContain(`${flat(l.label)} ${cells.join(' ')}`);
    }
    expect(pdf.raw).toContain('Sécurité sociale plafonnée 1 875,00 € 6,9 % 129,38 € 8,55 % 160,31 €');
  });

  it('says when the neutral grid was used', async () => {
    const neutral = await payslipDocument({}, { ...payslipRequest, withholdingRate: undefined });
    const text = read(await renderPayslipPdf(neutral)).raw;
    expect(text).toContain('(taux non personnalisé (grille du taux neutre en vigueur depuis le 1er janvier 2026)');
  });

  it('has the month’s activity-account statement as its second part', () => {
    const s = doc.statement;
    const start = pdf.raw.indexOf('Relevé du compte d’activité — octobre 2026');
    expect(start).toBeGreaterThan(pdf.raw.indexOf('Net payé le'));
    const part = pdf.raw.slice(start);
    expect(part).toContain('6 octobre 2026 Chiffre d’affaires HT — facture F-2026-0052, Mme Lefèvre (encaissée) 2 450,00 €');
    expect(part).toContain('9 octobre 2026 Note de frais — train Lyon – Grenoble, formation 86,40 €');
    for (const text of [
      `Solde au début du mois ${euros(s.openingBalanceCents)}`,
      `Chiffre d’affaires HT du mois ${euros(s.turnoverCents)}`,
      `Contribution coopérative ${minus(s.contributionCents)}`,
      `Frais professionnels remboursés (notes de frais validées) ${minus(s.expensesCents)}`,
      `Salaire : coût total employeur ${minus(doc.computation.employerCostCents)}`,
      `Solde à la fin du mois ${euros(s.closingBalanceCents)}`,
    ]) {
      expect(part).toContain(flat(text));
    }
    expect(s.closingBalanceCents).toBe(s.openingBalanceCents + s.turnoverCents - s.contributionCents - s.expensesCents - s.salaryCostCents);
    expect(pdf.pages.at(-1)).toContain('Relevé du compte d’activité');
  });

  it('prints no NIR and no internal id', () => {
    expect(pdf.raw).not.toMatch(/\b[12]\s?\d{2}\s?\d{2}\s?\d{2}\s?\d{3}\s?\d{3}\s?\d{2}\b/);
    expect(pdf.raw).not.toContain('pay_oct_1');
  });

  it('refuses a document whose expenses do not add up, or whose statement is of another month', async () => {
    await expect(renderPayslipPdf({ ...doc, expenses: doc.expenses.slice(1) })).rejects.toThrow(/do not add up/);
    await expect(renderPayslipPdf({ ...doc, statement: { ...doc.statement, period: '2026-09' } })).rejects.toThrow(/month/);
  });
});
