/**
 * Who sees what of payroll (one rule for every read): an entrepreneur its own account, expenses and
 * payslips; a manager those of its territory (both CAEs of it); an operator all; a partner nothing.
 * An item the caller may not see is answered like an absent one (404).
 */
import type { Principal } from '../../shared/auth.ts';

/** What every payroll item carries: whose it is and where. */
export interface PayrollOwner {
  readonly etd: string;
  readonly entrepreneurId: string;
}

export function canSee(principal: Principal, item: PayrollOwner): boolean {
  switch (principal.role) {
    case 'operator':
      return true;
    case 'manager':
      return principal.etd === item.etd;
    case 'entrepreneur':
      return principal.etd === item.etd && principal.entityId === item.entrepreneurId;
    default:
      return false;
  }
}

/** Who may decide (validate or refuse expenses, set salaries, issue payslips): staff of the territory. */
export function canManage(principal: Principal, item: PayrollOwner): boolean {
  return (principal.role === 'operator' || principal.role === 'manager') && canSee(principal, item);
}
