/** The referral figures of each territory, for the daily impact job (through the door). */
import { territoryCodes } from '../onboarding/index.ts';
import { referralFactsOf } from './store.ts';

export interface ReferralFigures {
  /** Referrals matched (every state but draft). */
  readonly opened: number;
  /** Accepted by a partner (whatever became of them since). */
  readonly accepted: number;
  readonly completed: number;
  /** Works amount HT of the completed referrals, cents. */
  readonly worksAmountCents: number;
  /** Technicians aged 45+ on the completed referrals' jobs. */
  readonly techniciansAged45Plus: number;
}

/** Sums one territory's referrals. Pure. */
export function referralFigures(
  facts: Iterable<{
    state: string;
    acceptedAt?: string | undefined;
    worksAmountCents?: number | undefined;
    techniciansAged45Plus?: number | undefined;
  }>,
): ReferralFigures {
  let opened = 0;
  let accepted = 0;
  let completed = 0;
  let worksAmountCents = 0;
  let techniciansAged45Plus = 0;
  for (const f of facts) {
    if (f.state !== 'draft') opened += 1;
    if (f.acceptedAt) accepted += 1;
    if (f.state === 'completed') {
      completed += 1;
      worksAmountCents += Number(f.worksAmountCents ?? 0);
      techniciansAged45Plus += Number(f.techniciansAged45Plus ?? 0);
    }
  }
  return { opened, accepted, completed, worksAmountCents, techniciansAged45Plus };
}

export async function* referralFiguresByEtd(): AsyncGenerator<{ etd: string; figures: ReferralFigures }> {
  for await (const etd of territoryCodes()) {
    const facts = [];
    for await (const fact of referralFactsOf(etd)) facts.push(fact);
    yield { etd, figures: referralFigures(facts) };
  }
}
