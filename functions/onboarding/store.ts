/**
 * DynamoDB access of the onboarding context (table `directory`, see functions/tables.ts).
 *
 * Items                                   pk                          sk              gsi1pk / gsi1sk                              gsi2pk / gsi2sk
 * ETD                                     ETD#<code>                  #ETD            ETDS / <code>
 * entrepreneur                            ENT#<id>                    #ENT            ETD#<etd>#ENT / <state>#<createdAt>#<id>     PUBLIC#ENT / <etd>#<createdAt>#<id> (only while listed)
 * e-mail guard (unique per ETD)           ETD#<etd>#EMAIL#<sha256>    #UNIQUE
 * client                                  CLI#<id>                    #CLI            ETD#<etd>#CLI / <createdAt>#<id>             ETD#<etd>#ENT#<entrepreneurId>#CLI / <createdAt>#<id>
 * partner                                 PAR#<id>                    #PAR                                                         PARTNERS / <createdAt>#<id>
 * partner, one per department covered     PAR#<id>                    DEPT#<code>     DEPT#<code>#PAR / <createdAt>#<id>
 * SIRET guard (unique partner)            SIRET#<siret>               #UNIQUE
 * history of any entity                   <entity pk>                 HIST#<version>
 *
 * Access patterns (all Get or Query, never Scan):
 * - an ETD by code: Get; all ETDs: Query gsi1 ETDS
 * - an entrepreneur / client / partner by id: Get
 * - entrepreneurs of an ETD, optionally by state: Query gsi1 ETD#<etd>#ENT (begins_with <state>#)
 * - publicly listed entrepreneurs, optionally of an ETD: Query gsi2 PUBLIC#ENT (begins_with <etd>#)
 * - clients of an ETD / of an entrepreneur: Query gsi1 / gsi2
 * - partners of a department: Query gsi1 DEPT#<code>#PAR; all partners: Query gsi2 PARTNERS
 * - history of an entity: Query pk, begins_with HIST#
 * Every write is one transaction holding the entity, its guards and its history entry.
 */
import { createHash } from 'node:crypto';
import { NotFoundError } from '../shared/errors.ts';
import { fromItem, itemStore } from '../shared/store.ts';
import type { Client, Entrepreneur, Etd, Partner } from './schemas.ts';

export const { table, getItem, queryPage, queryAll } = itemStore('directory');
export { fromItem, type Page, type PageRequest } from '../shared/store.ts';

export const keys = {
  etd: (code: string) => ({ pk: `ETD#${code}`, sk: '#ETD' }),
  entrepreneur: (id: string) => ({ pk: `ENT#${id}`, sk: '#ENT' }),
  client: (id: string) => ({ pk: `CLI#${id}`, sk: '#CLI' }),
  partner: (id: string) => ({ pk: `PAR#${id}`, sk: '#PAR' }),
  partnerDepartment: (id: string, code: string) => ({ pk: `PAR#${id}`, sk: `DEPT#${code}` }),
  emailGuard: (etd: string, email: string) => ({ pk: `ETD#${etd}#EMAIL#${sha256(email)}`, sk: '#UNIQUE' }),
  siretGuard: (siret: string) => ({ pk: `SIRET#${siret}`, sk: '#UNIQUE' }),
};

export const partitions = {
  etds: 'ETDS',
  entrepreneursOfEtd: (etd: string) => `ETD#${etd}#ENT`,
  publicEntrepreneurs: 'PUBLIC#ENT',
  clientsOfEtd: (etd: string) => `ETD#${etd}#CLI`,
  clientsOfEntrepreneur: (etd: string, id: string) => `ETD#${etd}#ENT#${id}#CLI`,
  partnersOfDepartment: (code: string) => `DEPT#${code}#PAR`,
  partners: 'PARTNERS',
};

function sha256(value: string): string {
  return createHash('sha256').update(value.trim().toLowerCase()).digest('hex');
}

// ---- Loading (one per aggregate): the record, or NotFound only when it is really absent ------
// Loading is not authorising: reads check domain/access.ts `canSee` after loading.

async function load<T>(key: { pk: string; sk: string }, missing: () => Error): Promise<T> {
  const item = await getItem(key);
  if (!item) throw missing();
  return fromItem<T>(item);
}

export const loadEtd = (code: string): Promise<Etd> => load(keys.etd(code), () => new NotFoundError(`Territory ${code} not found.`));
export const loadEntrepreneur = (id: string): Promise<Entrepreneur> =>
  load(keys.entrepreneur(id), () => new NotFoundError(`Entrepreneur ${id} not found.`));
export const loadClient = (id: string): Promise<Client> => load(keys.client(id), () => new NotFoundError(`Client ${id} not found.`));
export const loadPartner = (id: string): Promise<Partner> => load(keys.partner(id), () => new NotFoundError(`Partner ${id} not found.`));

// ---- Jobs ------------------------------------------------------------------------------------

/** The code of every territory (gsi1 ETDS). */
export async function* etdCodes(): AsyncGenerator<string> {
  for await (const etd of queryAll('gsi1', partitions.etds, 'code')) yield String(etd.code);
}

/** The birth year of every active entrepreneur of a territory (gsi1 ETD#<etd>#ENT, begins_with active#). */
export async function* activeBirthYears(etd: string): AsyncGenerator<number> {
  for await (const e of queryAll('gsi1', partitions.entrepreneursOfEtd(etd), 'birthYear', { skPrefix: 'active#' }))
    yield Number(e.birthYear);
}
