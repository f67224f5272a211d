/**
 * Who may see and act on a CESU employer file (the client's personal data: age, exemption, workers,
 * pay): its coordinator (an entrepreneur of the territory), the territory's managers and operators.
 * Anyone else gets 404, like an absent file. Pure.
 */
import type { Principal } from '../../shared/auth.ts';

export function canAct(principal: Principal, file: { readonly etd: string; readonly coordinatorId: string }): boolean {
  switch (principal.role) {
    case 'operator':
      return true;
    case 'manager':
      return principal.etd === file.etd;
    case 'entrepreneur':
      return principal.etd === file.etd && principal.entityId === file.coordinatorId;
    default:
      return false;
  }
}

/** Registering a client as employer (and naming its coordinator): staff of the client's territory. */
export function canRegister(principal: Principal, etd: string): boolean {
  return principal.role === 'operator' || (principal.role === 'manager' && principal.etd === etd);
}
