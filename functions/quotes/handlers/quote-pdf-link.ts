import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { pdfLink } from '../service.ts';

export const handler = httpHandler(contracts.quotePdfLink, async ({ principal, params }) => ok(await pdfLink(principal, params.id)));
