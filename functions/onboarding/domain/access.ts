/**
 * Who may see what in the onboarding context: the one visibility rule every read applies after
 * loading (loading is not authorising). Pure: no I/O. An item the caller may not see is answered
 * exactly like an absent one (NotFound), so its existence does not leak.
 */
import { canSeeEtd, type Principal } from '../../shared/auth.ts';
import type { Client, Entrepreneur, Etd, Partner } from '../schemas.ts';

/** One loaded record, named by its kind: `canSee(principal, { client })`. */
export type Visible = { etd: Etd } | { entrepreneur: Entrepreneur } | { client: Client } | { partner: Partner };

export function canSee(principal: Principal, item: Visible): boolean {
  if ('etd' in item) return canSeeEtd(principal, item.etd.code);
  if ('entrepreneur' in item) {
    const e = item.entrepreneur;
    // An entrepreneur sees itself only; staff of its territory and operators see it.
    return principal.role === 'entrepreneur' ? principal.entityId === e.id && principal.etd === e.etd : canSeeEtd(principal, e.etd);
  }
  if ('client' in item) {
    const c = item.client;
    // Staff of the territory and operators; an entrepreneur only the clients it is in charge of.
    return canSeeEtd(principal, c.etd) && (principal.role !== 'entrepreneur' || c.entrepreneurId === principal.entityId);
  }
  const p = item.partner;
  // Operators see every partner; managers those working in their territory; a partner itself.
  return (
    principal.role === 'operator' ||
    (principal.role === 'manager' && principal.etd !== undefined && p.departments.includes(principal.etd)) ||
    (principal.role === 'partner' && principal.entityId === p.id)
  );
}
