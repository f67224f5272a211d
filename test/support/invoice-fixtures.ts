/**
 * Realistic `InvoiceDocument`s for the invoice PDF renderer, its tests and the sample script.
 * Fictitious people and companies (those of the local demo data); every amount computed by the
 * real pricing code (`computeTotals`, `lineTotalCents`), so it is the amount the API would give.
 *
 * - `homeServicesInvoice()`: CAE SAMAD, home services for a private person (hours × rate, 10 % and
 *   5.5 %), eligible to the SAP tax credit, a pay link; one page.
 * - `depositInvoice()`: CAE MSG, the 30 % deposit on the accepted 45-line renovation quote of
 *   quote-fixtures.ts, for a company client (SIRET), works at another address, a purchase order.
 * - `finalInvoice()`: the same quote's final invoice: its 45 lines (20 / 10 / 5.5 %), the deposit
 *   deducted rate by rate (as `finalTotals` of functions/invoices/service.ts does), partly paid.
 * - `creditNote()`: an « avoir » on the home-services invoice for two hours invoiced in error.
 */
import { computeTotals, depositTotals, divideHalfUp, lineTotalCents, type Totals } from '../../functions/shared/pricing.ts';
import { formatRate } from '../../functions/shared/french.ts';
import { sapActivityLabel, type SapAuthorisation } from '../../functions/shared/sap.ts';
import { sapLines } from '../../functions/invoices/domain/vat-rules.ts';
import type { DocumentLine, IssuerIdentity } from '../../functions/quotes/views.ts';
import type { InvoiceDocument } from '../../functions/invoices/views.ts';
import type { Insurance } from '../../functions/shared/legal-rules.ts';
import { editionTwoQuote, msgInsurance, msgLoireAtlantique, twoPageQuote } from './quote-fixtures.ts';

export { msgLoireAtlantique };

export const samadLoireAtlantique: IssuerIdentity = {
  legalName: 'CAE SAMAD Loire-Atlantique',
  legalForm: 'SCOP SA à capital variable',
  shareCapitalCents: 1_500_000,
  siret: '90112233300015',
  rcs: 'RCS Nantes 901 122 333',
  vatNumber: 'FR00901122333',
  address: { line1: '12 rue de la Coopération', postalCode: '44000', city: 'Nantes' },
};

/** The company client of the renovation invoices. */
export const glycines = {
  name: 'Résidence Les Glycines (SCI)',
  address: { line1: '2 boulevard de la Loire', postalCode: '44400', city: 'Rezé' },
  siret: '49012345200016',
  isCompany: true,
} as const;

export const LATE_PENALTY_RATE_PERCENT = 12.15;

const priced = (line: Omit<DocumentLine, 'totalCents'>): DocumentLine => ({ ...line, totalCents: lineTotalCents(line) });

const homeServiceLines: DocumentLine[] = [
  priced({
    description: 'Entretien du logement et du linge (ménage, repassage), du 2 au 27 novembre 2026',
    kind: 'labour',
    quantity: 16,
    unit: 'h',
    unitPriceCents: 2750,
    vatRate: '10',
  }),
  priced({
    description: 'Accompagnement aux courses et aux rendez-vous médicaux',
    kind: 'labour',
    quantity: 6.5,
    unit: 'h',
    unitPriceCents: 2900,
    vatRate: '5.5',
  }),
  priced({ description: 'Aide à la préparation des repas', kind: 'labour', quantity: 8, unit: 'h', unitPriceCents: 2900, vatRate: '5.5' }),
  priced({
    description: 'Frais de déplacement (forfait par intervention)',
    kind: 'travel',
    quantity: 12,
    unit: 'u',
    unitPriceCents: 350,
    vatRate: '10',
  }),
];

/** Home services for a private person, SAP-eligible: the ordinary invoice of a CAE SAMAD. */
export function homeServicesInvoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const totals = computeTotals(homeServiceLines);
  return {
    number: 'F-SAMAD44-2026-000042',
    type: 'invoice',
    kind: 'standard',
    issueDate: '2026-11-30',
    serviceDate: '2026-11-27',
    dueDate: '2026-12-30',
    issuer: samadLoireAtlantique,
    territory: 'Loire-Atlantique (44)',
    entrepreneur: { name: 'Martine Leroux', email: 'martine.leroux@example.org', phone: '06 12 34 56 78' },
    client: { name: 'Yvette Durand', address: { line1: '8 allée des Tilleuls', postalCode: '44300', city: 'Nantes' }, isCompany: false },
    operationNature: 'services',
    title: 'Aide à domicile, novembre 2026',
    lines: homeServiceLines,
    totals,
    sapEligible: true,
    amountPaidCents: 0,
    amountDueCents: totals.grossCents,
    latePenaltyRatePercent: LATE_PENALTY_RATE_PERCENT,
    payUrl: 'https://oui-ensemble.example/pay/q7Lk2mX9vR4tB8nWc3Hs',
    ...overrides,
  };
}

/** The accepted renovation quote the deposit and final invoices come from (company client). */
export const acceptedQuote = twoPageQuote({ client: { name: glycines.name, address: glycines.address, siret: glycines.siret } });
export const QUOTE_ACCEPTED_ON = '2026-11-28';

/** As functions/invoices/service.ts: the quote's deposit % of each of its VAT bases, rounded half-up. */
const depositLines: DocumentLine[] = acceptedQuote.totals.vat.map((v) =>
  priced({
    description: `Acompte de ${acceptedQuote.depositPercent} % sur le devis n° ${acceptedQuote.number} (travaux à ${v.rate.replace('.', ',')} %)`,
    kind: 'other',
    quantity: 1,
    unit: 'lump-sum',
    unitPriceCents: divideHalfUp(BigInt(v.baseCents) * BigInt(acceptedQuote.depositPercent), 100n),
    vatRate: v.rate,
  }),
);

const quoteReference = {
  number: acceptedQuote.number,
  revision: acceptedQuote.revision,
  acceptedOn: QUOTE_ACCEPTED_ON,
  grossCents: acceptedQuote.totals.grossCents,
};

const renovationCommon = {
  issuer: msgLoireAtlantique,
  territory: 'Loire-Atlantique (44)',
  entrepreneur: { name: 'Sophie Garnier', email: 'sophie.garnier@example.org', phone: '07 34 56 78 90' },
  client: glycines,
  deliveryAddress: acceptedQuote.siteAddress,
  purchaseOrder: 'BC-GLY-2026-118',
  quote: quoteReference,
  sapEligible: false,
  latePenaltyRatePercent: LATE_PENALTY_RATE_PERCENT,
} as const;

/** The 30 % deposit on the accepted quote, issued two days after the acceptance. */
export function depositInvoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const totals = computeTotals(depositLines);
  return {
    ...renovationCommon,
    number: 'F-MSG44-2026-000101',
    type: 'invoice',
    kind: 'deposit',
    issueDate: '2026-11-30',
    serviceDate: '2026-11-30',
    dueDate: '2026-12-30',
    operationNature: 'services',
    title: `Acompte — ${acceptedQuote.title}`,
    lines: depositLines,
    totals,
    amountPaidCents: 0,
    amountDueCents: totals.grossCents,
    payUrl: 'https://oui-ensemble.example/pay/Tz4pW8sKq2Lm6Vb9Xe1R',
    ...overrides,
  };
}

/** The quote's totals minus the deposits, rate by rate (bases and VAT subtracted exactly), as `finalTotals` does. */
function finalTotals(quoteTotals: Totals, deductions: readonly Totals[]): Totals {
  const vat = quoteTotals.vat.map((v) => {
    const deducted = deductions.flatMap((d) => d.vat).filter((d) => d.rate === v.rate);
    return {
      rate: v.rate,
      baseCents: v.baseCents - deducted.reduce((s, d) => s + d.baseCents, 0),
      vatCents: v.vatCents - deducted.reduce((s, d) => s + d.vatCents, 0),
    };
  });
  const netCents = vat.reduce((s, v) => s + v.baseCents, 0);
  return { netCents, vat, grossCents: netCents + vat.reduce((s, v) => s + v.vatCents, 0), depositCents: 0 };
}

/** What the client paid by card on the final invoice before this copy was printed. */
export const FINAL_PAID_CENTS = 500_000;

/** The final invoice: the quote's 45 lines, the deposit deducted, 5 000 € already paid. */
export function finalInvoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const deposit = depositInvoice();
  const totals = finalTotals(acceptedQuote.totals, [deposit.totals]);
  return {
    ...renovationCommon,
    number: 'F-MSG44-2027-000004',
    type: 'invoice',
    kind: 'final',
    issueDate: '2027-03-15',
    serviceDate: '2027-03-12',
    dueDate: '2027-04-14',
    operationNature: 'mixed',
    title: `Solde — ${acceptedQuote.title}`,
    lines: acceptedQuote.lines,
    totals,
    deductedDeposits: [{ number: deposit.number, issueDate: deposit.issueDate, grossCents: deposit.totals.grossCents }],
    amountPaidCents: FINAL_PAID_CENTS,
    amountDueCents: totals.grossCents - FINAL_PAID_CENTS,
    payUrl: 'https://oui-ensemble.example/pay/Hn5cJ7dPz3Qy8Ra2Uf6K',
    notes: 'Réception des travaux prononcée sans réserve le 12 mars 2027.',
    ...overrides,
  };
}

/** Two hours of housework invoiced in error on the home-services invoice, credited. */
export function creditNote(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const invoice = homeServicesInvoice();
  const lines = [
    priced({
      ...invoice.lines[0]!,
      description: 'Entretien du logement : 2 heures facturées en trop (intervention du 20 novembre annulée)',
      quantity: 2,
    }),
  ];
  const totals = computeTotals(lines);
  const reason = 'L’intervention du 20 novembre 2026 a été annulée ; elle avait été facturée par erreur.';
  return {
    number: 'A-SAMAD44-2026-000007',
    type: 'credit-note',
    kind: 'standard',
    issueDate: '2026-12-04',
    serviceDate: invoice.serviceDate,
    issuer: invoice.issuer,
    territory: invoice.territory,
    entrepreneur: invoice.entrepreneur,
    client: invoice.client,
    operationNature: 'services',
    title: `Avoir — ${reason}`,
    lines,
    totals,
    creditedInvoice: { number: invoice.number, issueDate: invoice.issueDate },
    sapEligible: true,
    amountPaidCents: 0,
    amountDueCents: invoice.totals.grossCents - totals.grossCents,
    latePenaltyRatePercent: LATE_PENALTY_RATE_PERCENT,
    notes: reason,
    ...overrides,
  };
}

// ---- Edition 2 (invoices issued from December 2026) -------------------------------------------------

const sapLinesOf = (lines: readonly DocumentLine[]) => sapLines(lines, sapActivityLabel);

const editionTwoHomeLines: DocumentLine[] = [
  priced({
    description: 'Entretien du logement et du linge, du 2 au 27 novembre 2026',
    kind: 'labour',
    quantity: 16,
    unit: 'h',
    unitPriceCents: 2750,
    vatRate: '10',
    sapActivity: 'housework',
  }),
  priced({
    description: 'Accompagnement aux courses et aux rendez-vous médicaux',
    kind: 'labour',
    quantity: 6.5,
    unit: 'h',
    unitPriceCents: 2900,
    vatRate: '5.5',
    sapActivity: 'dependent-accompaniment',
  }),
  priced({
    description: 'Aide au lever, à la toilette (hors soins) et aux repas',
    kind: 'labour',
    quantity: 8,
    unit: 'h',
    unitPriceCents: 2900,
    vatRate: '5.5',
    sapActivity: 'elderly-assistance',
  }),
];

/** CAE SAMAD Loire-Atlantique's autorisation of its home-help service (as in infra/local/demo-data.ts). */
export const samadAuthorisation: SapAuthorisation = {
  kind: 'autorisation',
  number: 'SAAD-44-2026-0117',
  grantedOn: '2026-01-05',
  validUntil: '2041-01-04',
  issuer: 'le président du conseil départemental de la Loire-Atlantique',
};

/**
 * The SAP invoice of CAE SAMAD as issued with the D7233-1 mentions (declaration, worker, hours, hourly
 * price TTC, nature), and the CAE's autorisation: two of its services are for elderly or dependent people.
 */
export function editionTwoSapInvoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const totals = computeTotals(editionTwoHomeLines);
  const base = homeServicesInvoice({ lines: editionTwoHomeLines, totals, amountDueCents: totals.grossCents });
  return {
    ...base,
    edition: 2,
    sap: {
      declarationNumber: 'SAP901122333',
      declaredOn: '2025-09-15',
      worker: base.entrepreneur.name,
      authorisation: samadAuthorisation,
      lines: sapLinesOf(editionTwoHomeLines),
    },
    ...overrides,
  };
}

/** The quote of the edition-2 deposit and final invoices, for an individual at home (deposit rate by rate). */
export const editionTwoQuoteAccepted = editionTwoQuote();
export const EDITION_TWO_ACCEPTED_ON = '2026-11-26';

const editionTwoDepositLines: DocumentLine[] = depositTotals(
  editionTwoQuoteAccepted.totals,
  editionTwoQuoteAccepted.depositPercent,
).vat.map((v) =>
  priced({
    description: `Acompte de ${formatRate(String(editionTwoQuoteAccepted.depositPercent))} sur le devis n°\u00a0${editionTwoQuoteAccepted.number} (travaux à ${formatRate(v.rate)})`,
    kind: 'other',
    quantity: 1,
    unit: 'lump-sum',
    unitPriceCents: v.baseCents,
    vatRate: v.rate,
  }),
);

const editionTwoCommon = {
  edition: 2,
  issuer: msgLoireAtlantique,
  territory: 'Loire-Atlantique (44)',
  entrepreneur: { name: 'Sophie Garnier', email: 'sophie.garnier@example.org', phone: '07 34 56 78 90' },
  client: { name: 'Jean Moreau', address: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' }, isCompany: false },
  deliveryAddress: editionTwoQuoteAccepted.siteAddress,
  quote: {
    number: editionTwoQuoteAccepted.number,
    revision: editionTwoQuoteAccepted.revision,
    acceptedOn: EDITION_TWO_ACCEPTED_ON,
    grossCents: editionTwoQuoteAccepted.totals.grossCents,
  },
  operationNature: editionTwoQuoteAccepted.operationNature!,
  issuerInsurance: msgInsurance,
  sapEligible: false,
  latePenaltyRatePercent: LATE_PENALTY_RATE_PERCENT,
} as const;

/** The deposit of the edition-2 quote: its TTC is the quote's announced deposit to the cent; no payment before the 8th day. */
export function editionTwoDepositInvoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const totals = computeTotals(editionTwoDepositLines);
  return {
    ...editionTwoCommon,
    number: 'F-MSG44-2026-000102',
    type: 'invoice',
    kind: 'deposit',
    issueDate: '2026-11-27',
    serviceDate: '2026-11-27',
    dueDate: '2026-12-04',
    noPaymentBefore: '2026-12-04',
    title: `Acompte — ${editionTwoQuoteAccepted.title}`,
    lines: editionTwoDepositLines,
    totals,
    amountPaidCents: 0,
    amountDueCents: totals.grossCents,
    payUrl: 'https://oui-ensemble.example/pay/Tz4pW8sKq2Lm6Vb9Xe1R',
    ...overrides,
  };
}

/** The CAE's policy renewed for 2027: a works invoice prints the policy valid on its date (an expired one is refused). */
export const msgInsurance2027: Insurance = {
  ...msgInsurance,
  policyNumber: 'RCD-44-2027-0733',
  validFrom: '2027-01-01',
  validUntil: '2027-12-31',
};

/** The final invoice of the edition-2 quote: the whole works, the deposit deducted rate by rate, the balance. */
export function editionTwoFinalInvoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const deposit = editionTwoDepositInvoice();
  const totals = finalTotals(editionTwoQuoteAccepted.totals, [deposit.totals]);
  return {
    ...editionTwoCommon,
    issuerInsurance: msgInsurance2027,
    number: 'F-MSG44-2027-000004',
    type: 'invoice',
    kind: 'final',
    issueDate: '2027-03-15',
    serviceDate: '2027-03-12',
    dueDate: '2027-04-14',
    title: `Solde — ${editionTwoQuoteAccepted.title}`,
    lines: editionTwoQuoteAccepted.lines,
    totals,
    worksTotals: { ...editionTwoQuoteAccepted.totals, depositCents: 0 },
    deductedDeposits: [
      { number: deposit.number, issueDate: deposit.issueDate, grossCents: deposit.totals.grossCents, totals: deposit.totals },
    ],
    amountPaidCents: 0,
    amountDueCents: totals.grossCents,
    payUrl: 'https://oui-ensemble.example/pay/Hn5cJ7dPz3Qy8Ra2Uf6K',
    ...overrides,
  };
}

/** A standard works invoice at 10 % (a small repair, no quote): the insurance and the client's certification for 10 % only. */
export function editionTwoWorksInvoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const lines = [
    priced({
      description: 'Remplacement du mécanisme de la chasse d’eau',
      kind: 'labour',
      quantity: 1.5,
      unit: 'h',
      unitPriceCents: 5200,
      vatRate: '10',
    }),
    priced({ description: 'Mécanisme double poussoir', kind: 'material', quantity: 1, unit: 'u', unitPriceCents: 3890, vatRate: '10' }),
  ];
  const totals = computeTotals(lines);
  return {
    ...editionTwoCommon,
    quote: undefined,
    deliveryAddress: undefined,
    operationNature: 'mixed',
    number: 'F-MSG44-2026-000103',
    type: 'invoice',
    kind: 'standard',
    issueDate: '2026-11-30',
    serviceDate: '2026-11-27',
    dueDate: '2026-12-30',
    title: 'Réparation de la chasse d’eau',
    lines,
    totals,
    certificationRates: ['10'],
    amountPaidCents: 0,
    amountDueCents: totals.grossCents,
    payUrl: 'https://oui-ensemble.example/pay/Wm3kP9sLq2Xn6Vb8Ze4T',
    ...overrides,
  };
}

/** A credit note of the edition-2 SAP invoice: the same declaration and worker, the hours credited. */
export function editionTwoCreditNote(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const lines = [priced({ ...editionTwoHomeLines[0]!, description: 'Entretien du logement : 2 heures facturées en trop', quantity: 2 })];
  const invoice = editionTwoSapInvoice();
  const totals = computeTotals(lines);
  return creditNote({
    edition: 2,
    lines,
    totals,
    creditedInvoice: { number: invoice.number, issueDate: invoice.issueDate },
    // What remains due on the edition-2 invoice it credits (nothing paid yet).
    amountDueCents: invoice.totals.grossCents - totals.grossCents,
    // Housework only: no agrément or autorisation printed (credit-notes.ts, creditedSap).
    sap: { ...invoice.sap!, authorisation: undefined, lines: sapLinesOf(lines) },
    ...overrides,
  });
}
