/**
 * The payments and refunds of an invoice, a page at a time (no Stripe here). They live in the
 * invoice's partition (`PAY#<pi_…>`, `REF#<re_…>`, functions/invoices/store.ts): one Query on the
 * sort-key range from `PAY#` to the end of `REF#`, filtered to those two kinds (`entity`), gives payments
 * then refunds, each in Stripe id order. The cursor is the page's last key, checked on the way back
 * against this invoice's partition and this range, so it cannot reach another invoice's items.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../shared/dynamo.ts';
import { ValidationError } from '../shared/errors.ts';
import { decodeCursor, encodeCursor } from '../shared/pagination.ts';
import { fromItem, type Page, type PageRequest } from '../shared/store.ts';
import { keys, table } from '../invoices/store.ts';

const FIRST = 'PAY#';
/** `$` follows `#`: every `REF#…` key sorts below it. */
const LAST = 'REF$';

export async function ledgerPage<T>(invoiceId: string, page: PageRequest): Promise<Page<T>> {
  const { pk } = keys.invoice(invoiceId);
  const start = decodeCursor(page.cursor, ['pk', 'sk'], { pk });
  if (start && !(start.sk! >= FIRST && start.sk! < LAST))
    throw new ValidationError([{ path: 'query.cursor', message: 'is not a cursor returned by this list' }]);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
      // A filter cannot name a key attribute: the items' kind says the same as their key prefix.
      FilterExpression: 'entity IN (:payment, :refund)',
      ExpressionAttributeValues: { ':pk': pk, ':first': FIRST, ':last': LAST, ':payment': 'payment', ':refund': 'refund' },
      Limit: page.limit,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  const nextCursor = encodeCursor(result.LastEvaluatedKey);
  return { items: (result.Items ?? []).map((item) => fromItem<T>(item)), ...(nextCursor ? { nextCursor } : {}) };
}
