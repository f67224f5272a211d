/**
 * Issuing the payslip of a month: the salary set for the month (or the maximum the account allows)
 * computed by modele-social (functions/payroll/engine.ts), refused with 409 and the affordable
 * maximum when its employer cost exceeds the balance (after the month's cooperative contribution)
 * plus the CAE's overdraft; numbered per CAE and year without gap (functions/shared/series.ts, in
 * the payroll table); one transaction writes the payslip, its number, the month's contribution and
 * the employer cost as account movements (the balance conditioned), the draft marked issued and the
 * `PayslipIssued` event. The PDF is rendered before the commit and its SHA-256 committed with the
 * number; it is stored after, then e-mailed to the entrepreneur as a signed expiring link. A crash
 * in between leaves `documentPending`: issuing again re-creates the same bytes and completes it.
 */
import { randomUUID } from 'node:crypto';
import { type Entrepreneur, loadEntrepreneur, loadEtd } from '../onboarding/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { parisDate, parisYear } from '../shared/clock.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { sha256 } from '../shared/hash.ts';
import { logger } from '../shared/observability.ts';
import { formatMonth } from '../shared/french.ts';
import { withSeriesTicket } from '../shared/series.ts';
import { transact } from '../shared/transactions.ts';
import { canManage } from './domain/access.ts';
import {
  affordableMaximumCents,
  contributionDebit,
  cooperativeContribution,
  type Movement,
  monthStatement,
  payslipDebit,
} from './domain/activity-account.ts';
import { profileFor } from './domain/profiles.ts';
import { ENTREPRENEUR_CLASSIFICATION, ENTREPRENEUR_CONTRACT, employerFacts } from './employer.ts';
import { computePayslip, type PayslipComputation, type PayslipRequest } from './engine.ts';
import { contributionSchedule, settingsFor } from './settings.ts';
import { type PayslipDocument, renderPayslipPdf } from './pdf.ts';
import {
  accountWrites,
  balanceOf,
  caeSettingsHistory,
  eventPut,
  findPayslip,
  findSalaryDraft,
  movementsOf,
  type PayslipRecord,
  payslipDocumentKey,
  payslipPut,
  payslipStoredUpdate,
  salaryDraftPut,
  withholdingRateAt,
} from './store.ts';
import { presentPayslip } from './payslip-views.ts';

type IssuePorts = Pick<Adapters, 'documents' | 'mailer'>;

/** `BS-SAMAD44-2026`: payslips (bulletins de salaire) of a CAE of a territory, per year of issue. */
export const payslipSeries = (cae: string, etd: string, year: number) => `BS-${cae}${etd}-${year}`;

/** How long the link e-mailed with a payslip lives (the entrepreneur can always ask for a new one). */
export const PAYSLIP_MAIL_LINK_TTL_SECONDS = 3 * 24 * 3600;

const pure = ({ kind, sourceId, period, at, amountCents, label }: Movement): Movement => ({
  kind,
  sourceId,
  period,
  at,
  amountCents,
  ...(label === undefined ? {} : { label }),
});

export async function issuePayslip(ports: IssuePorts, principal: Principal, entrepreneurId: string, period: string, now: Date) {
  const entrepreneur = await loadEntrepreneur(entrepreneurId);
  const owner = { etd: entrepreneur.etd, entrepreneurId: entrepreneur.id };
  if (!canManage(principal, owner)) throw new NotFoundError(`Entrepreneur ${entrepreneurId} not found.`);
  const existing = await findPayslip(entrepreneur.id, period);
  if (existing) {
    if (existing.documentPending) return completePayslip(ports, existing, entrepreneur);
    throw new ConflictError(`The payslip of ${period} is already issued (${existing.number}).`, { number: existing.number });
  }
  const draft = await findSalaryDraft(entrepreneur.id, period);
  if (!draft) throw new ConflictError(`No salary is set for ${period}: set it first (PUT /entrepreneurs/{id}/salaries/{period}).`);

  const [etd, history, movements, balance, withholdingRate] = await Promise.all([
    loadEtd(entrepreneur.etd),
    caeSettingsHistory(entrepreneur.etd, entrepreneur.cae),
    movementsOf(entrepreneur.id),
    balanceOf(entrepreneur.id),
    withholdingRateAt(entrepreneur.id, period),
  ]);
  const settings = settingsFor(history, period);
  const today = parisDate(now);
  const month = movements.filter((m) => m.period === period);
  const turnoverCents = month.filter((m) => m.kind === 'turnover').reduce((sum, m) => sum + m.amountCents, 0);
  const contribution = cooperativeContribution(contributionSchedule(history), period, turnoverCents);
  const contributionMovement =
    contribution.totalCents > 0
      ? contributionDebit({
          sourceId: period,
          period,
          at: today,
          amountCents: contribution.totalCents,
          label: `Contribution coopérative de ${period}`,
        })
      : undefined;
  const expenses = month.filter((m) => m.kind === 'expense');
  const expenseReimbursementCents = -expenses.reduce((sum, m) => sum + m.amountCents, 0);
  const affordable = affordableMaximumCents(balance.balanceCents - contribution.totalCents, settings.overdraftCents);

  const refuse = async (costCents?: number) => {
    let affordableGrossCents = 0;
    if (affordable > 0) {
      const maximum = await computePayslip({ period, salary: { maxEmployerCostCents: affordable }, hoursPerMonth: draft.hours });
      affordableGrossCents = maximum.grossCents;
    }
    return new ConflictError(
      costCents === undefined
        ? 'The activity account cannot fund a salary this month.'
        : `The employer cost (${costCents} cents) exceeds what the activity account allows (${affordable} cents).`,
      {
        affordableEmployerCostCents: affordable,
        affordableGrossCents,
        balanceCents: balance.balanceCents,
        contributionCents: contribution.totalCents,
      },
    );
  };
  if ('maximum' in draft.request && affordable === 0) throw await refuse();
  const request: PayslipRequest = {
    period,
    salary: 'maximum' in draft.request ? { maxEmployerCostCents: affordable } : { grossMonthlyCents: draft.request.grossCents },
    hoursPerMonth: draft.hours,
    ...(withholdingRate ? { withholdingRate } : {}),
    expenseReimbursementCents,
  };
  const computation = await computePayslip(request);
  if (computation.employerCostCents > affordable) throw await refuse(computation.employerCostCents);

  const cae = entrepreneur.cae === 'SAMAD' ? etd.caes.samad : etd.caes.msg;
  const id = `pay_${entrepreneur.id.slice(4)}_${period.replace('-', '')}`;
  const profile = profileFor(entrepreneur.competences);
  const issued = await withSeriesTicket(
    (at) => payslipSeries(entrepreneur.cae, entrepreneur.etd, parisYear(at)),
    now,
    async (ticket) => {
      const issueDate = parisDate(ticket.at);
      const salaryMovement = payslipDebit({
        sourceId: id,
        period,
        at: issueDate,
        amountCents: computation.employerCostCents,
        label: `Bulletin ${ticket.number}`,
      });
      const newMovements = [...(contributionMovement ? [contributionMovement] : []), salaryMovement];
      const source = {
        issueDate,
        paymentDate: issueDate,
        employer: { identity: cae, ...employerFacts[entrepreneur.cae] },
        employee: {
          name: `${entrepreneur.firstName} ${entrepreneur.lastName}`,
          job: profile ? `Entrepreneur salarié — ${profile.label}` : 'Entrepreneur salarié',
          classification: ENTREPRENEUR_CLASSIFICATION,
          contract: ENTREPRENEUR_CONTRACT,
        },
        expenses: expenses.map((e) => ({ label: e.label ?? 'Note de frais', date: e.at, amountCents: -e.amountCents })),
        statement: monthStatement([...movements, ...newMovements].map(pure), period),
      } satisfies Omit<PayslipDocument, 'number' | 'computation'>;
      const pdf = await renderPayslipPdf({ number: ticket.number, computation, ...source });
      const record: PayslipRecord = {
        id,
        number: ticket.number,
        entrepreneurId: entrepreneur.id,
        etd: entrepreneur.etd,
        cae: entrepreneur.cae,
        period,
        issuedAt: ticket.at.toISOString(),
        hours: draft.hours,
        grossCents: computation.grossCents,
        netCents: computation.netPaidCents,
        employerCostCents: computation.employerCostCents,
        expensesCents: expenseReimbursementCents,
        figures: computation as unknown as Record<string, unknown>,
        documentKey: payslipDocumentKey(entrepreneur.cae, entrepreneur.etd, ticket.number),
        documentSha256: sha256(pdf),
        documentPending: true,
        documentSource: source as unknown as Record<string, unknown>,
      };
      const account = accountWrites(owner, newMovements, { overdraftCents: settings.overdraftCents });
      const writes = [
        ...ticket.writes,
        payslipPut(record),
        salaryDraftPut({ ...draft, state: 'issued', updatedAt: ticket.at.toISOString(), updatedBy: principal.sub }),
        ...account.writes,
        eventPut('PayslipIssued', randomUUID(), ticket.at, {
          payslipId: id,
          number: ticket.number,
          etd: entrepreneur.etd,
          cae: entrepreneur.cae,
          entrepreneurId: entrepreneur.id,
          period,
          grossCents: computation.grossCents,
          employerCostCents: computation.employerCostCents,
        }),
      ];
      const payslipIndex = ticket.writes.length;
      const balanceIndex = payslipIndex + 2 + account.balanceIndex;
      let notCovered = false;
      await transact(writes, (index) => {
        if (index === payslipIndex) return new ConflictError(`The payslip of ${period} is already issued.`);
        if (index === balanceIndex) {
          notCovered = true;
          return new ConflictError('The activity account changed meanwhile and no longer covers this salary.');
        }
        if (index < payslipIndex) return new ConflictError('The number series changed meanwhile; try again.');
        return new ConflictError('The salary or the account of this month changed meanwhile; try again.');
      }).catch(async (error: unknown) => {
        if (notCovered) throw await refuse(computation.employerCostCents);
        throw error;
      });
      return { record, pdf };
    },
    'payroll',
  );
  return storeAndSend(ports, issued.record, issued.pdf, entrepreneur);
}

/** Issuing a pending payslip again: the committed bytes re-created from what was committed, stored, sent. */
async function completePayslip(ports: IssuePorts, payslip: PayslipRecord, entrepreneur: Entrepreneur) {
  const pdf = await renderPayslipPdf({
    number: payslip.number,
    computation: payslip.figures as unknown as PayslipComputation,
    ...(payslip.documentSource as unknown as Omit<PayslipDocument, 'number' | 'computation'>),
  });
  if (sha256(pdf) !== payslip.documentSha256) throw new Error(`the payslip ${payslip.number} renders other bytes than those committed`);
  return storeAndSend(ports, payslip, pdf, entrepreneur);
}

async function storeAndSend(ports: IssuePorts, payslip: PayslipRecord, pdf: Uint8Array, entrepreneur: Entrepreneur) {
  await ports.documents.put(payslip.documentKey, pdf, 'application/pdf');
  await transact([payslipStoredUpdate(payslip.entrepreneurId, payslip.period)], () => new NotFoundError('The payslip vanished.'));
  const stored: PayslipRecord = { ...payslip, documentPending: undefined };
  let emailed = true;
  try {
    const link = await ports.documents.link(payslip.documentKey, {
      ttlSeconds: PAYSLIP_MAIL_LINK_TTL_SECONDS,
      fileName: `Bulletin de paie ${payslip.number}.pdf`,
    });
    const month = formatMonth(payslip.period);
    await ports.mailer.send({
      to: entrepreneur.email,
      subject: `Votre bulletin de paie de ${month}`,
      text: [
        `Bonjour ${entrepreneur.firstName},`,
        '',
        `Votre bulletin de paie de ${month} (n° ${payslip.number}) est disponible. Il comprend le relevé de votre compte d’activité du mois.`,
        '',
        `Téléchargez-le ici (lien valable jusqu’au ${link.expiresAt.slice(0, 10).split('-').reverse().join('/')}) :`,
        link.url,
        '',
        'Conservez ce bulletin de paie sans limitation de durée. Vous pouvez demander un nouveau lien à tout moment depuis votre espace.',
        '',
        'L’équipe Oui Ensemble',
      ].join('\n'),
    });
  } catch (error) {
    // The payslip is issued and stored: a failed e-mail is logged (no personal data) and said in the answer.
    emailed = false;
    logger.warn('payslip e-mail not sent', { number: payslip.number, error: (error as Error).name });
  }
  return { ...presentPayslip(stored), emailed };
}
