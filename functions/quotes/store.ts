/**
 * DynamoDB access of the quotes context (table `sales`, see functions/tables.ts).
 *
 * Items                                   pk                          sk              gsi1pk / gsi1sk                      gsi2pk / gsi2sk
 * quote (one item per revision)           QUO#<id>                    #QUO            ETD#<etd>#QUO / <createdAt>#<id>     ETD#<etd>#ENT#<entrepreneurId>#QUO / <createdAt>#<id>
 * expiry marker (while sent)              QUO#<id>                    #EXPIRY         SENT#EXPIRY / <validUntil>#<id>
 * number series: see functions/shared/series.ts
 * client link (token stored hashed)       LINK#<sha256(token)>        #LINK
 * domain event (outbox)                   EVENT#<yyyy-mm-dd>          <at>#<eventId>
 * history of a quote                      QUO#<id>                    HIST#<version>
 *
 * Access patterns (all Get or Query):
 * - a quote by id: Get; the quote of a client link: Get LINK#, then Get QUO#
 * - quotes of an ETD / of an entrepreneur: Query gsi1 / gsi2 (state and client as filters)
 * - sent quotes past their validity: Query gsi1 SENT#EXPIRY with sk < <today>
 * - the last number of a series: Get SERIES#
 * Every state change is one transaction with its conditions (version, state), its markers,
 * its history entry and, for acceptance, its domain event.
 */
import { createHash } from 'node:crypto';
import { itemStore } from '../shared/store.ts';

export const { table, getItem, queryPage, queryAll } = itemStore('sales');
export { fromItem } from '../shared/store.ts';

export const keys = {
  quote: (id: string) => ({ pk: `QUO#${id}`, sk: '#QUO' }),
  expiry: (id: string) => ({ pk: `QUO#${id}`, sk: '#EXPIRY' }),
  link: (token: string) => ({ pk: `LINK#${sha256(token)}`, sk: '#LINK' }),
  event: (day: string, at: string, eventId: string) => ({ pk: `EVENT#${day}`, sk: `${at}#${eventId}` }),
};

export const partitions = {
  quotesOfEtd: (etd: string) => `ETD#${etd}#QUO`,
  quotesOfEntrepreneur: (etd: string, entrepreneurId: string) => `ETD#${etd}#ENT#${entrepreneurId}#QUO`,
  sentByExpiry: 'SENT#EXPIRY',
};

export function sha256(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex');
}
