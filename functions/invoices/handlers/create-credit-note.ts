import { adapters } from '../../shared/adapters.ts';
import { created, httpHandler } from '../../shared/http.ts';
import { settlement } from '../../payments/index.ts';
import * as contracts from '../contracts.ts';
import { createCreditNote } from '../credit-notes.ts';
import { present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.createCreditNote, async ({ principal, params, body }) => {
  const { creditNote, invoice } = await createCreditNote(ports(), settlement, principal, params.id, body, new Date());
  const {
    etd: _etd,
    documentKey: _key,
    documentSource: _source,
    invoiceAfter: _after,
    delivery: _delivery,
    createdAt: _at,
    createdBy: _by,
    ...view
  } = creditNote;
  return created({ creditNote: view, invoice: await present(ports(), invoice) });
});
