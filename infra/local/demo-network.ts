/**
 * Demo data of the network context, seeded by `npm start` after the month of activity: each demo
 * territory gets a redevance rate version from 1 October 2026 (1,5 % conceptual + 2,5 % operational of
 * the turnover invoiced, monthly statements), the facts of the invoices the demo issued (recorded as
 * RecordRedevanceFacts records them, same fact ids, so the relay's later delivery of their events
 * counts nothing twice) and the statements of every month ended since (October 2026 on a start in
 * November 2026), their PDFs stored and e-mailed as the monthly job does.
 */
import { listInvoices } from '../../functions/invoices/service.ts';
import { recordFact } from '../../functions/network/facts.ts';
import { setRate } from '../../functions/network/rates.ts';
import { RateVersionBody } from '../../functions/network/schemas.ts';
import { CUTOFF_MARGIN_MS, issueDueStatements } from '../../functions/network/statement-issue.ts';
import { adapters } from '../../functions/shared/adapters.ts';
import type { Principal } from '../../functions/shared/auth.ts';

const operator: Principal = { sub: 'seed', role: 'operator' };

export const demoRedevanceRate = {
  from: '2026-10-01',
  conceptualBasisPoints: 150,
  operationalBasisPoints: 250,
  basis: 'invoiced',
  frequency: 'monthly',
} as const;

export async function seedNetwork(territories: readonly string[], now: Date): Promise<{ statements: string[] }> {
  for (const etd of territories) await setRate(operator, etd, RateVersionBody().parse(demoRedevanceRate), new Date('2026-09-30T08:00:00Z'));
  for (const etd of territories) {
    let cursor: string | undefined;
    do {
      // The territory's manager lists its invoices (operators work per territory through the managers' routes).
      const manager: Principal = { sub: 'seed', role: 'manager', etd };
      const page = await listInvoices(manager, { etd, limit: 100, ...(cursor ? { cursor } : {}) }, now);
      for (const invoice of page.items) {
        if (!invoice.number || !invoice.issueDate) continue;
        await recordFact(
          'InvoiceIssued',
          {
            invoiceId: invoice.id,
            number: invoice.number,
            etd: invoice.etd,
            cae: invoice.cae,
            entrepreneurId: invoice.entrepreneurId,
            clientId: invoice.clientId,
            issuedOn: invoice.issueDate,
            kind: invoice.kind,
            totals: {
              netCents: invoice.totals.netCents,
              vatCents: invoice.totals.grossCents - invoice.totals.netCents,
              grossCents: invoice.totals.grossCents,
            },
            sapEligible: Boolean(invoice.sapEligible),
          },
          // Recorded when it was issued, as the consumer would have.
          new Date(`${invoice.issueDate}T12:00:00Z`),
        );
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  async function* codes() {
    yield* territories;
  }
  // The relay may have recorded the demo's facts a moment ago (then they keep that instant): the statements are
  // made as the job would make them once those facts are behind its cutoff margin.
  const outcome = await issueDueStatements(adapters(), codes(), new Date(now.getTime() + CUTOFF_MARGIN_MS + 60_000));
  return { statements: outcome.issued.map((s) => s.id) };
}
