/**
 * Values of French law that change over time or that no solid source confirmed:
 * configuration, never presented as official. Set them per deployment through the environment.
 */

/**
 * Late-payment penalty rate printed on invoices, % per year. C. com. L441-10: at least three times
 * the legal interest rate; by default the ECB's main refinancing rate + 10 points — which changes
 * every semester, so operators set the current figure here.
 */
export const latePenaltyRatePercent = (): number => Number(process.env.LATE_PENALTY_RATE_PERCENT ?? '12.15');
