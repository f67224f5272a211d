/** Types shared by every legal document (quotes, invoices, credit notes) and their renderers. */
import type { LineKind, Unit, VatRate } from './pricing.ts';
import type { SapActivity } from './sap.ts';

export interface PostalAddress {
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly postalCode: string;
  readonly city: string;
}

/** The legal identity of the CAE that issues the quote (mandatory mentions). */
export interface IssuerIdentity {
  readonly legalName: string;
  readonly legalForm: string;
  readonly shareCapitalCents: number;
  readonly siret: string;
  readonly rcs: string;
  readonly vatNumber: string;
  readonly address: PostalAddress;
}

export interface DocumentLine {
  readonly section?: string | undefined;
  readonly description: string;
  readonly kind: LineKind;
  readonly quantity: number;
  readonly unit: Unit;
  readonly unitPriceCents: number;
  readonly vatRate: VatRate;
  readonly energyRenovation?: boolean | undefined;
  /** The RGE domain code of an energy-renovation line (quotes). */
  readonly rgeDomain?: string | undefined;
  /** The services-à-la-personne activity code of the line (SAP invoices). */
  readonly sapActivity?: SapActivity | undefined;
  /** quantity × unit price, rounded: as in the API. */
  readonly totalCents: number;
}
