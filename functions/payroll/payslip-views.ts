import type { Adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { PageRequest } from '../shared/store.ts';
import { visibleEntrepreneur } from './expenses.ts';
import { findPayslip, type PayslipRecord, payslipsOf } from './store.ts';

/** What the API shows of a payslip. */
export function presentPayslip(payslip: PayslipRecord) {
  const { documentKey: _key, documentSource: _source, ...view } = payslip;
  return view;
}

export async function listPayslips(principal: Principal, entrepreneurId: string, page: PageRequest) {
  const entrepreneur = await visibleEntrepreneur(principal, entrepreneurId);
  const result = await payslipsOf(entrepreneur.id, page);
  return { ...result, items: result.items.map(presentPayslip) };
}

export async function payslipPdfLink(ports: Pick<Adapters, 'documents'>, principal: Principal, entrepreneurId: string, period: string) {
  const entrepreneur = await visibleEntrepreneur(principal, entrepreneurId);
  const payslip = await findPayslip(entrepreneur.id, period);
  if (!payslip) throw new NotFoundError(`No payslip for ${period}.`);
  if (payslip.documentPending) throw new ConflictError('The PDF of this payslip is not stored yet: issue it again to complete it.');
  return ports.documents.link(payslip.documentKey, { ttlSeconds: 300, fileName: `Bulletin de paie ${payslip.number}.pdf` });
}
