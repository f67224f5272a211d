/** A payslip of the ES.Fo profile (DOMAIN.md: trainer, 94.5 h a month, 49 €/h HT) for the PDF tests and samples. */
import {
  contributionDebit,
  expenseDebit,
  monthStatement,
  payslipDebit,
  turnoverCredit,
  type Movement,
} from '../../functions/payroll/domain/activity-account.ts';
import { computePayslip, type PayslipRequest } from '../../functions/payroll/engine.ts';
import type { PayslipDocument } from '../../functions/payroll/pdf.ts';

export const PERIOD = '2026-10';

export const payslipRequest: PayslipRequest = {
  period: PERIOD,
  salary: { grossMonthlyCents: 187_500 },
  hoursPerMonth: 94.5,
  withholdingRate: { rate: 4.2, source: 'dgfip', date: '2026-09-12' },
  expenseReimbursementCents: 8_640 + 3_710,
  employer: { headcount: 30, atmpRatePercent: 1.5 },
};

export async function payslipDocument(
  overrides: Partial<PayslipDocument> = {},
  request: PayslipRequest = payslipRequest,
): Promise<PayslipDocument> {
  const computation = await computePayslip(request);
  const movements: Movement[] = [
    turnoverCredit({
      sourceId: 'pay_sep',
      period: '2026-09',
      at: '2026-09-28',
      amountHtCents: 463_050,
      label: 'facture F-2026-0041 (encaissée)',
    }),
    contributionDebit({ sourceId: 'contrib_2026-09', period: '2026-09', at: '2026-09-30', amountCents: 46_305 }),
    payslipDebit({ sourceId: 'slip_2026-09', period: '2026-09', at: '2026-09-30', amountCents: 240_000 }),
    turnoverCredit({
      sourceId: 'pay_oct_1',
      period: PERIOD,
      at: '2026-10-06',
      amountHtCents: 245_000,
      label: 'facture F-2026-0052, Mme Lefèvre (encaissée)',
    }),
    turnoverCredit({
      sourceId: 'pay_oct_2',
      period: PERIOD,
      at: '2026-10-20',
      amountHtCents: 218_050,
      label: 'facture F-2026-0057, Association Les Tilleuls (encaissée)',
    }),
    expenseDebit({ sourceId: 'exp_1', period: PERIOD, at: '2026-10-09', amountCents: 8_640, label: 'train Lyon – Grenoble, formation' }),
    expenseDebit({ sourceId: 'exp_2', period: PERIOD, at: '2026-10-15', amountCents: 3_710, label: 'fournitures pédagogiques' }),
    contributionDebit({
      sourceId: 'contrib_2026-10',
      period: PERIOD,
      at: '2026-10-31',
      amountCents: 46_305,
      label: '10 % du chiffre d’affaires HT',
    }),
    payslipDebit({
      sourceId: 'slip_2026-10',
      period: PERIOD,
      at: '2026-10-31',
      amountCents: computation.employerCostCents,
      label: 'bulletin n° BP-2026-0007',
    }),
  ];
  return {
    number: 'BP-2026-0007',
    issueDate: '2026-10-31',
    paymentDate: '2026-10-31',
    employer: {
      identity: {
        legalName: 'Oui Ensemble CAE Rhône-Alpes',
        legalForm: 'SCOP SARL à capital variable',
        shareCapitalCents: 1_520_000,
        siret: '90112244000018',
        rcs: 'RCS Lyon 901 122 440',
        vatNumber: 'FR32901122440',
        address: { line1: '12 rue des Tanneurs', postalCode: '69007', city: 'Lyon' },
      },
      naf: '7830Z',
      collectiveAgreement: 'aucune convention collective étendue ; accord d’entreprise de la CAE du 3 mars 2025',
      urssaf: 'Urssaf Rhône-Alpes, compte n° 827 000 000 123 456',
    },
    employee: {
      name: 'Claire Dubois-Martinet',
      address: { line1: '4 allée des Érables', line2: 'Bâtiment B', postalCode: '38000', city: 'Grenoble' },
      job: 'Formatrice (entrepreneure salariée)',
      classification: 'non-cadre, niveau E2',
      contract: 'Contrat d’entrepreneur salarié associé (CESA)',
      entryDate: '2025-02-01',
    },
    computation,
    expenses: [
      { label: 'train Lyon – Grenoble, formation', date: '2026-10-09', amountCents: 8_640 },
      { label: 'fournitures pédagogiques', date: '2026-10-15', amountCents: 3_710 },
    ],
    statement: monthStatement(movements, PERIOD),
    ...overrides,
  };
}
