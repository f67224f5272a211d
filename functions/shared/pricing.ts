/**
 * Priced lines and their totals, shared by quotes and (later) invoices. Pure and exact: money in
 * integer cents, quantities in thousandths, VAT rates in basis points, every rounding half-up to
 * the cent and written where it happens.
 *
 * - line total = quantity × unit price, rounded half-up to the cent;
 * - per VAT rate: base = sum of the line totals of that rate; VAT = base × rate, rounded half-up
 *   (CGI ann. II art. 242 nonies A: VAT is shown per rate);
 * - total TTC = Σ bases + Σ VAT;
 * - deposit, rate by rate (`depositTotals`): base = base of the rate × deposit %, rounded half-up;
 *   its VAT = that base × rate, rounded half-up; the deposit TTC is their sum. The quote announces
 *   that amount and the deposit invoice bills those very lines: one computation, equal to the cent.
 */

export const vatRates = ['20', '10', '5.5'] as const;
export type VatRate = (typeof vatRates)[number];

/** Basis points of each rate (20 % = 2000). */
export const vatBasisPoints: Record<VatRate, number> = { '20': 2000, '10': 1000, '5.5': 550 };

export const lineKinds = ['labour', 'material', 'travel', 'other'] as const;
export type LineKind = (typeof lineKinds)[number];

export const units = ['h', 'day', 'm2', 'ml', 'm3', 'u', 'lump-sum'] as const;
export type Unit = (typeof units)[number];

export interface PricedLine {
  readonly quantity: number;
  readonly unitPriceCents: number;
  readonly vatRate: VatRate;
}

export interface VatBreakdown {
  rate: VatRate;
  baseCents: number;
  vatCents: number;
}

export interface Totals {
  netCents: number;
  vat: VatBreakdown[];
  grossCents: number;
  depositCents: number;
}

/** `numerator / denominator` rounded half-up, for non-negative integers (exact, in BigInt). */
export function divideHalfUp(numerator: bigint, denominator: bigint): number {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divideHalfUp takes a non-negative numerator and a positive denominator');
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

/** Thousandths of a quantity given with at most 3 decimals (1.25 → 1250). */
export function quantityInThousandths(quantity: number): number {
  const thousandths = Math.round(quantity * 1000);
  if (Math.abs(thousandths - quantity * 1000) > 1e-6) throw new RangeError(`quantity ${quantity} has more than 3 decimals`);
  return thousandths;
}

export const hasAtMostThreeDecimals = (quantity: number): boolean => Math.abs(Math.round(quantity * 1000) - quantity * 1000) <= 1e-6;

export function lineTotalCents(line: Pick<PricedLine, 'quantity' | 'unitPriceCents'>): number {
  return divideHalfUp(BigInt(quantityInThousandths(line.quantity)) * BigInt(line.unitPriceCents), 1000n);
}

export function vatCents(baseCents: number, rate: VatRate): number {
  return divideHalfUp(BigInt(baseCents) * BigInt(vatBasisPoints[rate]), 10_000n);
}

/** Totals of the lines; VAT rates appear in the order 20, 10, 5.5 and only when used. */
export function computeTotals(lines: readonly PricedLine[], depositPercent = 0): Totals {
  const bases = new Map<VatRate, number>();
  for (const line of lines) bases.set(line.vatRate, (bases.get(line.vatRate) ?? 0) + lineTotalCents(line));
  const vat = vatRates
    .filter((rate) => bases.has(rate))
    .map((rate) => ({ rate, baseCents: bases.get(rate)!, vatCents: vatCents(bases.get(rate)!, rate) }));
  const netCents = vat.reduce((sum, v) => sum + v.baseCents, 0);
  const grossCents = netCents + vat.reduce((sum, v) => sum + v.vatCents, 0);
  const totals = { netCents, vat, grossCents, depositCents: 0 };
  return { ...totals, depositCents: depositPercent > 0 ? depositTotals(totals, depositPercent).grossCents : 0 };
}

/** The deposit base of one VAT rate: `percent` % of the rate's base, rounded half-up to the cent. */
export const depositBaseCents = (baseCents: number, percent: number): number =>
  divideHalfUp(BigInt(baseCents) * BigInt(Math.round(percent * 100)), 10_000n);

/**
 * The deposit of a quote, rate by rate: each rate's base × percent (rounded half-up), its VAT at
 * that rate (rounded half-up); TTC = their sum. The quote's `depositCents` and the deposit
 * invoice's lines both come from here.
 */
export function depositTotals(totals: Pick<Totals, 'vat'>, percent: number): Totals {
  const vat = totals.vat.map((v) => {
    const baseCents = depositBaseCents(v.baseCents, percent);
    return { rate: v.rate, baseCents, vatCents: vatCents(baseCents, v.rate) };
  });
  const netCents = vat.reduce((sum, v) => sum + v.baseCents, 0);
  return { netCents, vat, grossCents: netCents + vat.reduce((sum, v) => sum + v.vatCents, 0), depositCents: 0 };
}

/** `a − b`, rate by rate: bases and VAT subtracted exactly (a final invoice's deductions, a deposit net of its credit notes); no deposit. */
export function subtractTotals(a: Totals, b: Totals): Totals {
  const vat = a.vat.map((v) => {
    const minus = b.vat.find((w) => w.rate === v.rate);
    return { rate: v.rate, baseCents: v.baseCents - (minus?.baseCents ?? 0), vatCents: v.vatCents - (minus?.vatCents ?? 0) };
  });
  const netCents = vat.reduce((sum, v) => sum + v.baseCents, 0);
  return { netCents, vat, grossCents: netCents + vat.reduce((sum, v) => sum + v.vatCents, 0), depositCents: 0 };
}

/** A final invoice's totals: the quote's less the deposits already invoiced, rate by rate (bases and VAT subtracted exactly). */
export function finalTotals(quoteTotals: Totals, deductions: readonly { readonly totals: Totals }[]): Totals {
  return deductions.reduce((rest, d) => subtractTotals(rest, d.totals), { ...quoteTotals, depositCents: 0 });
}

export interface VatEligibilityInput {
  readonly housingOver2Years: boolean;
  readonly lines: readonly { readonly vatRate: VatRate; readonly energyRenovation?: boolean | undefined }[];
}

/**
 * Reduced rates on housing works (CGI 279-0 bis and 278-0 bis A): 10 % and 5.5 % need housing
 * completed more than two years ago; 5.5 % only on energy-renovation lines. Returns the lines
 * that break the rule, each with the reason (French rules, English API messages).
 */
export function vatEligibilityErrors(input: VatEligibilityInput): { index: number; message: string }[] {
  const errors: { index: number; message: string }[] = [];
  input.lines.forEach((line, index) => {
    if (line.vatRate === '20') return;
    if (!input.housingOver2Years) {
      errors.push({ index, message: `a ${line.vatRate} % rate needs housing completed more than two years ago (housingOver2Years)` });
    } else if (line.vatRate === '5.5' && !line.energyRenovation) {
      errors.push({ index, message: 'the 5.5 % rate applies only to lines marked energyRenovation' });
    }
  });
  return errors;
}

/** Which client certification the document must carry (BOI-LETTRE-000280). */
export function vatCertificationNeeded(lines: readonly { vatRate: VatRate }[]): 'none' | 'reduced' | 'reduced-energy' {
  if (lines.some((l) => l.vatRate === '5.5')) return 'reduced-energy';
  if (lines.some((l) => l.vatRate === '10')) return 'reduced';
  return 'none';
}

/** The reduced rates a document actually uses, for its client certification (BOI-LETTRE-000280): 10 %, 5.5 %, both, or none. */
export function reducedRatesUsed(lines: readonly { vatRate: VatRate }[]): ('10' | '5.5')[] {
  return (['10', '5.5'] as const).filter((rate) => lines.some((l) => l.vatRate === rate));
}

export type OperationNature = 'services' | 'goods' | 'mixed';

/** Goods, services or both (e-invoicing mention), from the kinds of the works' lines: materials are goods. */
export function operationNature(lines: readonly { kind: string }[]): OperationNature {
  const goods = lines.some((l) => l.kind === 'material');
  const services = lines.some((l) => l.kind !== 'material');
  return goods && services ? 'mixed' : goods ? 'goods' : 'services';
}
