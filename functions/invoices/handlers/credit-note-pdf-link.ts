import { adapters } from '../../shared/adapters.ts';
import { ConflictError, NotFoundError } from '../../shared/errors.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { getInvoice } from '../service.ts';
import { findCreditNote } from '../store.ts';

const ports = () => adapters();

/** A five-minute link to one credit note of the invoice (named by its number or id), like the invoice's own PDF. */
export const handler = httpHandler(contracts.creditNotePdfLink, async ({ principal, params }) => {
  const invoice = await getInvoice(principal, params.id);
  const creditNote = invoice.creditNotes.find((c) => c.number === params.n || c.id === params.n);
  const stored = creditNote ? await findCreditNote(creditNote.id) : undefined;
  const documentKey = stored?.documentKey;
  if (!creditNote || typeof documentKey !== 'string') throw new NotFoundError(`Invoice ${invoice.id} has no credit note ${params.n}.`);
  if (stored?.documentPending) {
    throw new ConflictError(
      `The PDF of credit note ${creditNote.number} is not stored yet: issue the invoice again (POST /invoices/${invoice.id}/issue) to complete it.`,
      { creditNote: creditNote.number },
    );
  }
  return ok(await ports().documents.link(documentKey, { ttlSeconds: 300, fileName: `Avoir ${creditNote.number}.pdf` }));
});
