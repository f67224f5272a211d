/**
 * Who sees what of the network's accounts (one rule for every read): an operator every territory, a
 * manager its own; entrepreneurs and partners nothing (their routes refuse them with 403 before
 * this rule). A territory the caller may not see is answered like an absent one (404).
 */
import type { Principal } from '../../shared/auth.ts';

export function canSee(principal: Principal, item: { readonly etd: string }): boolean {
  if (principal.role === 'operator') return true;
  return principal.role === 'manager' && principal.etd === item.etd;
}

/** The territory a list is about: the one asked for, else the manager's own (undefined: all, for an operator). */
export function scopeOf(principal: Principal, asked: string | undefined): string | undefined {
  return principal.role === 'operator' ? asked : (principal.etd ?? '\u0000');
}
