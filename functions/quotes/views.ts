/**
 * What a client reads: the data of the quote PDF and of the client's page, resolved (names,
 * identities, computed totals) so the renderers are pure functions of these values. Every amount
 * here is the amount of the API: the renderers format, they never compute.
 */
import type { Insurance } from '../shared/legal-rules.ts';
import type { OperationNature, Totals } from '../shared/pricing.ts';

export type { DocumentLine, IssuerIdentity, PostalAddress } from '../shared/documents.ts';
import type { DocumentLine, IssuerIdentity, PostalAddress } from '../shared/documents.ts';

/** The company that will perform the works (a partner), when one is attached. */
export interface Performer {
  readonly legalName: string;
  readonly siret: string;
  readonly decennale: {
    readonly insurer: string;
    readonly policyNumber: string;
    readonly validFrom: string;
    readonly validUntil: string;
    readonly coverage: string;
  };
  readonly rge?:
    | { readonly certificateNumber: string; readonly body: string; readonly validUntil: string; readonly domains: readonly string[] }
    | undefined;
}

/** The consumer mediator of the CAE (C. conso L612-1, L616-1). */
export interface Mediator {
  readonly name: string;
  readonly website: string;
}

/** What a quote to an individual (a consumer) prints of the consumer's rights. */
export interface ConsumerTerms {
  /** 14-day withdrawal right, its conditions and the withdrawal form (L221-5, L221-18). */
  readonly withdrawal: boolean;
  /** Off-premises contract: no payment within 7 days of acceptance (L221-10). */
  readonly paymentWait: boolean;
  readonly mediator?: Mediator | undefined;
}

export interface QuoteDocument {
  /**
   * Edition of the printed mentions. 2: the issuer's insurance, consumer rights, start of the
   * works, RGE coverage per line, nature of the operation, certification per rate, typography.
   * 3 (QUOTE_EDITION, quotes sent since 2026-12-01): edition 2, its lists going on from page to
   * page. Absent on quotes sent before edition 2: each PDF is rendered again exactly as it was committed.
   */
  readonly edition?: 2 | 3 | undefined;
  readonly number: string;
  readonly revision: number;
  /** The quote this revision replaces, by number and revision, when revision > 1. */
  readonly supersedes?: { readonly number: string; readonly revision: number } | undefined;
  /** Dates of business (Europe/Paris), YYYY-MM-DD. */
  readonly issueDate: string;
  readonly validUntil: string;
  readonly validityDays: number;
  readonly title: string;
  readonly issuer: IssuerIdentity;
  /** The territory, e.g. "Loire-Atlantique (44)". */
  readonly territory: string;
  readonly entrepreneur: { readonly name: string; readonly email?: string | undefined; readonly phone?: string | undefined };
  readonly client: { readonly name: string; readonly address: PostalAddress; readonly siret?: string | undefined };
  readonly siteAddress: PostalAddress;
  readonly housingOver2Years: boolean;
  readonly lines: readonly DocumentLine[];
  readonly totals: Totals;
  /** 0 when no deposit is asked. */
  readonly depositPercent: number;
  /** 0: free quote ("Devis gratuit"); otherwise its price TTC. */
  readonly feeCents: number;
  readonly notes?: string | undefined;
  /** Which client certification for reduced VAT the document carries. */
  readonly vatCertification: 'none' | 'reduced' | 'reduced-energy';
  readonly performer?: Performer | undefined;
  /** Edition 2: the CAE's professional insurance (works quotes), as on the day of sending. */
  readonly issuerInsurance?: Insurance | undefined;
  /** Edition 2: goods, services or both, from the kinds of the works' lines (the same on its invoices). */
  readonly operationNature?: OperationNature | undefined;
  /** Edition 2: the reduced rates the certification covers (10 %, 5.5 %). */
  readonly reducedRates?: readonly ('10' | '5.5')[] | undefined;
  /** Edition 2: each 5.5 % line, whether the partner's RGE qualification covers it (domain as a French label). */
  readonly rgeCoverage?:
    | readonly { readonly index: number; readonly domainLabel?: string | undefined; readonly covered: boolean }[]
    | undefined;
  /** Edition 2: when the works start (date, or at the latest N days after acceptance) and how long they last. */
  readonly works?:
    | { readonly startDate?: string | undefined; readonly startWithinDays?: number | undefined; readonly durationDays?: number | undefined }
    | undefined;
  /** Edition 2, individual clients: the consumer's rights printed. */
  readonly consumer?: ConsumerTerms | undefined;
}

/** Why the client's page offers nothing to sign. */
export type ClosedReason = 'accepted' | 'declined' | 'expired' | 'superseded' | 'withdrawn';

export interface QuotePage {
  readonly number: string;
  readonly revision: number;
  readonly title: string;
  readonly issuerName: string;
  /** Where the client may post its withdrawal (quotes sent with edition 2). */
  readonly issuerAddress?: PostalAddress | undefined;
  /** And the e-mail address it may be sent to: the entrepreneur's, as printed on the quote (edition 2). */
  readonly withdrawalEmail?: string | undefined;
  readonly entrepreneurName: string;
  readonly clientName: string;
  readonly siteAddress: PostalAddress;
  readonly issueDate: string;
  readonly validUntil: string;
  readonly totals: Totals;
  readonly depositPercent: number;
  readonly vatCertification: 'none' | 'reduced' | 'reduced-energy';
  /** The reduced rates the certification covers: the energy-renovation sentence is for the 5.5 % works only. */
  readonly reducedRates?: readonly ('10' | '5.5')[] | undefined;
  /** An individual's rights: withdrawal (with its last day once accepted), the wait before any payment, the mediator. */
  readonly consumer?:
    | (ConsumerTerms & {
        /** Accepted: the last day to withdraw, and whether the link still offers it today. */
        readonly withdrawalDeadline?: string | undefined;
        readonly canWithdrawNow?: boolean | undefined;
        /** Accepted, off premises: the first day a payment may be made. */
        readonly firstPaymentDate?: string | undefined;
        readonly earlyStartRequested?: boolean | undefined;
      })
    | undefined;
  /** Short-lived link to the exact PDF whose SHA-256 is `pdfSha256`. */
  readonly pdfUrl: string;
  readonly pdfSha256: string;
  /** Form targets: `${base}/accept` and `${base}/decline`. */
  readonly actionBase: string;
  /** Present when the quote can no longer be accepted or declined. */
  readonly closed?: { readonly reason: ClosedReason; readonly at?: string | undefined; readonly by?: string | undefined } | undefined;
}
