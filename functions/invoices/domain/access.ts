/**
 * Who may see an invoice (and so its credit notes, payments and PDFs): the one visibility rule
 * every read of the invoices context applies after loading (loading is not authorising). Pure.
 * An invoice the caller may not see is answered exactly like an absent one (NotFound).
 */
import { canSeeEtd, type Principal } from '../../shared/auth.ts';

/** Staff of its territory and operators; an entrepreneur only its own invoices. */
export function canSee(principal: Principal, invoice: { readonly etd: string; readonly entrepreneurId: string }): boolean {
  return canSeeEtd(principal, invoice.etd) && (principal.role !== 'entrepreneur' || invoice.entrepreneurId === principal.entityId);
}
