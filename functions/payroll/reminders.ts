/**
 * The managers' reminder of the monthly job: one French e-mail per CAE of a territory that has
 * salary drafts still open for the month, sent to the CAE's `payrollContactEmail` (onboarding's CAE
 * record; a CAE without one gets none and is counted as such). It says how many payslips are left
 * to issue and, when known, the first and last names of the entrepreneurs: no other personal data.
 * A failed sending is logged (no address, no names) and the others go on; the job's metric counts
 * the open drafts whatever the e-mails did.
 */
import { loadEtd, type Etd } from '../onboarding/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import { formatMonth } from '../shared/french.ts';
import { logger } from '../shared/observability.ts';
import type { OpenDraftsOfCae } from './drafts.ts';

export interface ReminderResult {
  readonly sent: number;
  /** CAEs with open drafts but no payroll contact e-mail. */
  readonly withoutContact: number;
  readonly failed: number;
}

/** The reminder e-mail of one CAE (pure: the tests read it). */
export function reminderMessage(etd: Pick<Etd, 'code' | 'name'>, caeLegalName: string, period: string, open: OpenDraftsOfCae) {
  const n = open.count;
  const drafts = n === 1 ? '1 bulletin de paie reste à émettre' : `${n} bulletins de paie restent à émettre`;
  const lines = [
    'Bonjour,',
    '',
    `Pour ${caeLegalName} (territoire ${etd.code} — ${etd.name}), ${drafts} pour le mois de ${formatMonth(period)}.`,
  ];
  if (open.names.length) {
    lines.push('', n === 1 ? 'Entrepreneur concerné :' : 'Entrepreneurs concernés :', ...open.names.map((name) => `- ${name}`));
    if (open.names.length < n) lines.push(`- et ${n - open.names.length} autre(s)`);
  }
  lines.push(
    '',
    'Les brouillons de salaire ont été préparés : vérifiez le salaire et les heures de chacun, puis émettez les bulletins depuis le back-office.',
    '',
    'Bien cordialement,',
    'Le back-office du réseau Oui Ensemble',
  );
  return { subject: `Paie de ${formatMonth(period)} : ${drafts}`, text: lines.join('\n') };
}

export async function remindManagers(
  ports: Pick<Adapters, 'mailer'>,
  period: string,
  openByCae: readonly OpenDraftsOfCae[],
): Promise<ReminderResult> {
  let sent = 0;
  let withoutContact = 0;
  let failed = 0;
  const etds = new Map<string, Etd>();
  for (const open of openByCae) {
    if (open.count === 0) continue;
    let etd = etds.get(open.etd);
    if (!etd) {
      etd = await loadEtd(open.etd);
      etds.set(open.etd, etd);
    }
    const cae = open.cae === 'SAMAD' ? etd.caes.samad : etd.caes.msg;
    if (!cae.payrollContactEmail) {
      withoutContact++;
      continue;
    }
    try {
      await ports.mailer.send({ to: cae.payrollContactEmail, ...reminderMessage(etd, cae.legalName, period, open) });
      sent++;
    } catch (error) {
      failed++;
      logger.error('payroll reminder e-mail failed', { etd: open.etd, cae: open.cae, error: (error as Error).name });
    }
  }
  return { sent, withoutContact, failed };
}
