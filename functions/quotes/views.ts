/**
 * What a client reads: the data of the quote PDF and of the client's page, resolved (names,
 * identities, computed totals) so the renderers are pure functions of these values. Every amount
 * here is the amount of the API: the renderers format, they never compute.
 */
import type { Totals } from '../shared/pricing.ts';

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

export interface QuoteDocument {
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
}

/** Why the client's page offers nothing to sign. */
export type ClosedReason = 'accepted' | 'declined' | 'expired' | 'superseded';

export interface QuotePage {
  readonly number: string;
  readonly revision: number;
  readonly title: string;
  readonly issuerName: string;
  readonly entrepreneurName: string;
  readonly clientName: string;
  readonly siteAddress: PostalAddress;
  readonly issueDate: string;
  readonly validUntil: string;
  readonly totals: Totals;
  readonly depositPercent: number;
  readonly vatCertification: 'none' | 'reduced' | 'reduced-energy';
  /** Short-lived link to the exact PDF whose SHA-256 is `pdfSha256`. */
  readonly pdfUrl: string;
  readonly pdfSha256: string;
  /** Form targets: `${base}/accept` and `${base}/decline`. */
  readonly actionBase: string;
  /** Present when the quote can no longer be accepted or declined. */
  readonly closed?: { readonly reason: ClosedReason; readonly at?: string | undefined; readonly by?: string | undefined } | undefined;
}
