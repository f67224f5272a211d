import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { setSalary } from '../salaries.ts';

export const handler = httpHandler(contracts.setSalary, async ({ principal, params, body }) =>
  ok(await setSalary(principal, params.id, params.period, body, new Date())),
);
