/**
 * What the invoice and credit-note PDFs show, resolved (identities, names, computed totals) so the
 * renderer formats and never computes. Mandatory mentions: CGI ann. II 242 nonies A, C. com.
 * L441-9 and following, and the 2026–27 e-invoicing mentions.
 */
import type { Insurance } from '../shared/legal-rules.ts';
import type { Totals } from '../shared/pricing.ts';
import type { SapAuthorisation } from '../shared/sap.ts';
import type { SapLine } from './domain/vat-rules.ts';
import type { DocumentLine, IssuerIdentity, PostalAddress } from '../shared/documents.ts';

export type InvoiceKind = 'standard' | 'deposit' | 'final';

export interface InvoiceDocument {
  /**
   * Edition of the printed mentions. 2: the issuer's insurance on works invoices, the SAP mentions
   * (declaration, worker, hours, hourly price TTC, nature), the deposit's payment date, the final
   * statement rate by rate, the certification per rate, the wait before payment, typography.
   * Absent on documents issued before: their PDF is rendered again exactly as committed.
   */
  readonly edition?: 2 | undefined;
  /** `F-SAMAD44-2026-000042` for an invoice, `A-SAMAD44-2026-000007` for a credit note. */
  readonly number: string;
  readonly type: 'invoice' | 'credit-note';
  readonly kind: InvoiceKind;
  /** Dates of business (Europe/Paris), YYYY-MM-DD. */
  readonly issueDate: string;
  /** Date of the service or of its completion (« date de la prestation »). */
  readonly serviceDate: string;
  /** Invoices only. */
  readonly dueDate?: string | undefined;
  readonly issuer: IssuerIdentity;
  readonly territory: string;
  readonly entrepreneur: { readonly name: string; readonly email?: string | undefined; readonly phone?: string | undefined };
  readonly client: {
    readonly name: string;
    readonly address: PostalAddress;
    /** Companies: SIRET printed; SIREN is its first 9 digits (2026–27 e-invoicing mention). */
    readonly siret?: string | undefined;
    readonly isCompany: boolean;
  };
  /** Where the works or services took place, when it differs from the client's address. */
  readonly deliveryAddress?: PostalAddress | undefined;
  /** Nature of the operation (e-invoicing reform): goods, services or both. */
  readonly operationNature: 'services' | 'goods' | 'mixed';
  readonly title: string;
  readonly purchaseOrder?: string | undefined;
  readonly lines: readonly DocumentLine[];
  readonly totals: Totals;
  /** Deposit and final invoices: the accepted quote they come from. */
  readonly quote?:
    | { readonly number: string; readonly revision: number; readonly acceptedOn: string; readonly grossCents: number }
    | undefined;
  /** Final invoices: the deposits already invoiced, deducted. */
  readonly deductedDeposits?:
    | readonly { readonly number: string; readonly issueDate: string; readonly grossCents: number; readonly totals?: Totals | undefined }[]
    | undefined;
  /** Edition 2, final invoices: the whole works (the quote's totals), before the deposits are deducted rate by rate. */
  readonly worksTotals?: Totals | undefined;
  /** Edition 2: the CAE's professional insurance, on works invoices (renovation pole). */
  readonly issuerInsurance?: Insurance | undefined;
  /** Edition 2, SAP invoices and credit notes: the mentions of C. trav. D7233-1. */
  readonly sap?:
    | {
        readonly declarationNumber: string;
        readonly declaredOn: string;
        readonly worker: string;
        /** The CAE's agrément or autorisation, when a line is an activity that needs one (D7233-1: « le cas échéant »). */
        readonly authorisation?: SapAuthorisation | undefined;
        readonly lines: readonly SapLine[];
      }
    | undefined;
  /** Edition 2, deposit invoices: the date the deposit was paid, when known and not the issue date (CGI ann. II 242 nonies A). */
  readonly depositPaidOn?: string | undefined;
  /** Edition 2, standard works invoices at a reduced rate: the client's certification, for the rates used. */
  readonly certificationRates?: readonly ('10' | '5.5')[] | undefined;
  /** Edition 2, off-premises contract with an individual: no payment may be received before this day. */
  readonly noPaymentBefore?: string | undefined;
  /** Credit notes: the invoice they correct. */
  readonly creditedInvoice?: { readonly number: string; readonly issueDate: string } | undefined;
  /** Home services eligible to the 50 % tax credit (CGI 199 sexdecies): the mention is printed. */
  readonly sapEligible: boolean;
  /** What was paid already and what remains (invoices). */
  readonly amountPaidCents: number;
  readonly amountDueCents: number;
  /** Late-payment penalty rate in percent per year, from configuration (C. com. L441-10). */
  readonly latePenaltyRatePercent: number;
  /** The pay link printed on the invoice, when online payment is offered. */
  readonly payUrl?: string | undefined;
  readonly notes?: string | undefined;
}

/**
 * What a record keeps to render its PDF again: everything but its own lines and totals. The pay
 * link printed is kept too: it derives from the public base URL, which may change between the
 * commit and a retry (another host, another port offline), and the bytes must not.
 */
export type DocumentSource = Omit<InvoiceDocument, 'lines' | 'totals'>;
