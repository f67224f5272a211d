/**
 * A standard invoice another context asks for, on behalf of a system actor: today the referral
 * commission the territory's CAE MSG invoices a partner company (functions/referrals). The client is
 * a business given on the invoice (`billTo`: legal name, SIRET, address, e-mail), not an onboarding
 * client; the entrepreneur is the one the CAE invoices for (who brought the works). Everything else
 * is an ordinary invoice: the CAE's number series, the same PDF and legal mentions (SIREN, 40 €
 * recovery indemnity and penalty rate for a business client), the pay link e-mailed, the
 * `InvoiceIssued` event, payment online like any invoice.
 *
 * One invoice per source (`SRC#<kind>#<id>`, written with the draft): asking again answers the
 * same invoice, issuing it if it stayed a draft.
 */
import type * as z from '../shared/zod.ts';
import type { Out } from '../shared/contract.ts';
import type { Actor } from '../shared/audit.ts';
import { ConflictError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { businessMetric } from '../shared/observability.ts';
import { computeTotals } from '../shared/pricing.ts';
import { createdBy } from '../shared/audit.ts';
import { transact } from '../shared/transactions.ts';
import type { CaeName } from '../onboarding/index.ts';
import { pricedLines, type Line } from '../quotes/index.ts';
import { billedParties } from './documents.ts';
import { issueDraft, type IssuePorts } from './issue.ts';
import { DEFAULT_DUE_DAYS, payUrl } from './service.ts';
import { historyPut, invoiceOfSource, loadInvoice, newInvoicePut, sourceGuardPut, type BillTo, type InvoiceRecord } from './store.ts';

export interface BusinessInvoiceRequest {
  /** What the invoice is for; one invoice per source. */
  readonly source: { readonly kind: 'referral-commission'; readonly id: string };
  readonly etd: string;
  readonly cae: CaeName;
  /** The entrepreneur the CAE invoices for. */
  readonly entrepreneurId: string;
  readonly client: BillTo;
  readonly title: string;
  readonly lines: readonly z.input<ReturnType<typeof Line>>[];
  /** YYYY-MM-DD: date of the service or its completion. */
  readonly serviceDate: string;
  readonly notes?: string | undefined;
}

export interface IssuedBusinessInvoice {
  readonly invoiceId: string;
  readonly number: string | null;
  readonly state: InvoiceRecord['state'];
  readonly issueDate?: string | undefined;
  readonly dueDate?: string | undefined;
  readonly totals: InvoiceRecord['totals'];
  /** The client's pay page. */
  readonly payUrl: string;
}

async function draftOf(actor: Actor, request: BusinessInvoiceRequest, now: Date): Promise<InvoiceRecord> {
  const known = await invoiceOfSource(request.source);
  if (known) return loadInvoice(known);
  const lines = request.lines.map((l) => ({ ...l })) as Out<typeof Line>[];
  const invoice: InvoiceRecord = {
    id: newId('inv', now),
    etd: request.etd,
    cae: request.cae,
    entrepreneurId: request.entrepreneurId,
    clientId: request.client.id,
    billTo: request.client,
    source: { ...request.source },
    kind: 'standard',
    title: request.title,
    lines: pricedLines(lines),
    totals: computeTotals(lines),
    sapEligible: false,
    dueDays: DEFAULT_DUE_DAYS,
    serviceDate: request.serviceDate,
    ...(request.notes ? { notes: request.notes } : {}),
    state: 'draft',
    number: null,
    amountPaidCents: 0,
    amountPendingCents: 0,
    amountCreditedCents: 0,
    amountDueCents: 0,
    creditNotes: [],
    ...createdBy(actor, now),
  };
  invoice.amountDueCents = invoice.totals.grossCents;
  const raced = new Error('source already invoiced');
  try {
    await transact(
      [
        newInvoicePut(invoice),
        historyPut(invoice.id, 1, actor, now, { action: 'created', source: request.source }),
        sourceGuardPut(request.source, invoice.id),
      ],
      (index) => (index === 2 ? raced : new ConflictError('The invoice already exists.')),
    );
  } catch (error) {
    if (error !== raced) throw error;
    return loadInvoice((await invoiceOfSource(request.source))!);
  }
  businessMetric('InvoiceDrafted', invoice.etd);
  return invoice;
}

/** Drafts (once per source) and issues the invoice; asking again answers the invoice as it is. */
export async function issueBusinessInvoice(
  ports: IssuePorts,
  actor: Actor,
  request: BusinessInvoiceRequest,
  now: Date,
): Promise<IssuedBusinessInvoice> {
  const draft = await draftOf(actor, request, now);
  const invoice = draft.state === 'draft' ? await issueDraft(ports, actor, draft, await billedParties(draft), now) : draft;
  return {
    invoiceId: invoice.id,
    number: invoice.number,
    state: invoice.state,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    totals: invoice.totals,
    payUrl: await payUrl(ports, invoice.id),
  };
}
