/**
 * What Stripe accepts as the amount of one card or SEPA debit payment in euros (no Stripe SDK
 * here: the pay page reads it too). Source: Stripe, "Supported currencies — Minimum and maximum
 * charge amounts", https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts : at least
 * 0,50 € per charge, and an `amount` of at most eight digits in the smallest unit (99 999 999 cents,
 * i.e. 999 999,99 €). Stripe refuses a Checkout Session outside these bounds (400
 * invalid_request_error), so the back office never asks for one.
 */
export const STRIPE_EUR_LIMITS = {
  minimumCents: 50,
  maximumCents: 99_999_999,
  source: 'https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts',
} as const;

export type OnlinePaymentRefusal = 'below-minimum' | 'above-maximum';

/** Why an amount cannot be paid online through Stripe, or undefined when it can. */
export function onlinePaymentRefusal(amountCents: number): OnlinePaymentRefusal | undefined {
  if (amountCents < STRIPE_EUR_LIMITS.minimumCents) return 'below-minimum';
  if (amountCents > STRIPE_EUR_LIMITS.maximumCents) return 'above-maximum';
  return undefined;
}
