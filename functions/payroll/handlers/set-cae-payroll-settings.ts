import { httpHandler, ok } from '../../shared/http.ts';
import { setCaePayrollSettings } from '../cae-settings.ts';
import * as contracts from '../contracts.ts';

export const handler = httpHandler(contracts.setCaePayrollSettings, async ({ principal, params, body }) =>
  ok(await setCaePayrollSettings(principal, params.code, params.cae, body)),
);
