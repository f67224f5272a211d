import { adapters } from '../../shared/adapters.ts';
import { created, httpHandler } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { issuePayslip } from '../payslips.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.issuePayslip, async ({ principal, params }) => {
  const payslip = await issuePayslip(ports(), principal, params.id, params.period, new Date());
  return created(payslip, `/entrepreneurs/${params.id}/payslips/${params.period}/pdf`);
});
