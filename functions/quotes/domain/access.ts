/** Who may see a quote: the one visibility rule every read of the quotes context applies. Pure. */
import { canSeeEtd, type Principal } from '../../shared/auth.ts';

/**
 * An operator sees every quote; a manager, the quotes of its territory; an entrepreneur, its own
 * quotes in its territory; a partner, none. A quote the caller may not see is refused as absent.
 */
export function canSee(principal: Principal, quote: { readonly etd: string; readonly entrepreneurId: string }): boolean {
  if (!canSeeEtd(principal, quote.etd)) return false;
  return principal.role !== 'entrepreneur' || quote.entrepreneurId === principal.entityId;
}
