/**
 * Offline stand-in for URSSAF's third-party CESU declaration API (functions/cesu/urssaf.ts): what the
 * API is expected to do with a monthly declaration — check it, keep it, answer a reference — without
 * the habilitation the real one needs. Deterministic: the same employer and month give the same
 * reference; a second declaration of a month already received is refused, as URSSAF refuses it.
 * Installed by `npm start` and by the tests (`useCesuPort(cesuStandIn())`); never in the cloud.
 */
import { createHash } from 'node:crypto';
import type { CesuDeclarationPort, CesuSubmission } from '../../functions/cesu/urssaf.ts';

export interface CesuStandIn extends CesuDeclarationPort {
  /** What it received, by reference (for the tests). */
  readonly received: ReadonlyMap<string, CesuSubmission>;
}

export function cesuStandIn(): CesuStandIn {
  const received = new Map<string, CesuSubmission>();
  return {
    connected: true,
    received,
    async submit(submission) {
      if (!/^[0-9A-Z]{6,20}$/.test(submission.cesuNumber)) throw new Error('stand-in: unknown CESU employer number');
      if (submission.workers.length === 0 || submission.workers.some((w) => w.hours <= 0 || w.netCents <= 0)) {
        throw new Error('stand-in: a declaration needs hours and a net pay for each worker');
      }
      const digest = createHash('sha256').update(`${submission.cesuNumber}|${submission.period}`).digest('hex').slice(0, 8).toUpperCase();
      const reference = `CESU-${submission.period.replace('-', '')}-${digest}`;
      if (received.has(reference)) throw new Error(`stand-in: the declaration of ${submission.period} was already received`);
      received.set(reference, submission);
      return { reference };
    },
  };
}
