import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { payslipPdfLink } from '../payslip-views.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.payslipPdfLink, async ({ principal, params }) =>
  ok(await payslipPdfLink(ports(), principal, params.id, params.period)),
);
