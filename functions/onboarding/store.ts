/**
 * DynamoDB access of the onboarding context (table `directory`, see functions/tables.ts). This
 * module owns every key, item shape, marker and access pattern of the table; the services hold the
 * rules and call the functions below (reads, and the parts of their write transactions).
 *
 * Items                                   pk                          sk              gsi1pk / gsi1sk                              gsi2pk / gsi2sk
 * ETD                                     ETD#<code>                  #ETD            ETDS / <code>
 * entrepreneur                            ENT#<id>                    #ENT            ETD#<etd>#ENT / <state>#<createdAt>#<id>     PUBLIC#ENT / <etd>#<createdAt>#<id> (only while listed)
 * e-mail guard (unique per ETD)           ETD#<etd>#EMAIL#<sha256>    #UNIQUE
 * client                                  CLI#<id>                    #CLI            ETD#<etd>#CLI / <createdAt>#<id>             ETD#<etd>#ENT#<entrepreneurId>#CLI / <createdAt>#<id>
 * partner                                 PAR#<id>                    #PAR                                                         PARTNERS / <createdAt>#<id>
 * partner, one per department covered     PAR#<id>                    DEPT#<code>     DEPT#<code>#PAR / <createdAt>#<id>
 * SIRET guard (unique partner)            SIRET#<siret>               #UNIQUE
 * history of any entity above             <entity pk>                 HIST#<version, 6 digits>   (shared/audit.ts)
 * demo seed marker (infra/local/seed.ts)  SEED#demo                   #SEED
 *
 * Attributes: every item holds `entity` (etd | entrepreneur | guard | client | partner |
 * partner-department | history | seed) and the record's own fields; a guard holds `ownerId` (the id
 * of the record that owns the unique value); an entrepreneur, client and partner hold `version`.
 * `<sha256>` is the SHA-256 of the trimmed, lower-cased e-mail address.
 *
 * Access patterns (all Get or Query, never Scan):
 * - an ETD by code: Get; all ETDs: Query gsi1 ETDS
 * - an entrepreneur / client / partner by id: Get (the `load…` functions)
 * - entrepreneurs of an ETD, optionally by state: Query gsi1 ETD#<etd>#ENT (begins_with <state>#)
 * - active entrepreneurs of an ETD (impact job): Query gsi1 ETD#<etd>#ENT begins_with active#, birthYear only
 * - active entrepreneurs of an ETD (payroll's monthly job): same Query, id, etd, cae, competences and names only
 * - publicly listed entrepreneurs, optionally of an ETD: Query gsi2 PUBLIC#ENT (begins_with <etd>#)
 * - clients of an ETD / of an entrepreneur: Query gsi1 / gsi2
 * - partners of a department: Query gsi1 DEPT#<code>#PAR (a page, or all of them for referrals' matching); all partners: Query gsi2 PARTNERS
 * - history of an entity: Query pk, begins_with HIST#
 * Every write is one transaction holding the entity, its guards and its history entry.
 */
import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { historyPut as auditEntry, type Actor } from '../shared/audit.ts';
import { documentClient } from '../shared/dynamo.ts';
import { NotFoundError } from '../shared/errors.ts';
import { fromItem, itemStore, type Page, type PageRequest } from '../shared/store.ts';
import type { TransactItem } from '../shared/transactions.ts';
import { isPubliclyListed, type EntrepreneurState } from './domain/entrepreneur.ts';
import type { ActiveEntrepreneur, Client, Entrepreneur, Etd, Partner } from './schemas.ts';

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
  seedMarker: { pk: 'SEED#demo', sk: '#SEED' },
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

// ---- Lists -----------------------------------------------------------------------------------

/** A `contains(attribute, value)` filter for each value given, and-ed (list attributes of a record). */
function containsFilter(contains: Record<string, string | undefined>) {
  const filters: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(contains)) {
    if (value === undefined) continue;
    filters.push(`contains(${attribute}, :${attribute})`);
    values[`:${attribute}`] = value;
  }
  return filters.length ? { filter: { FilterExpression: filters.join(' AND '), ExpressionAttributeValues: values } } : {};
}

export const etdsPage = (page: PageRequest): Promise<Page<Etd>> => queryPage<Etd>('gsi1', partitions.etds, page);

export const entrepreneursOfEtdPage = (etd: string, state: EntrepreneurState | undefined, page: PageRequest): Promise<Page<Entrepreneur>> =>
  queryPage<Entrepreneur>('gsi1', partitions.entrepreneursOfEtd(etd), page, state ? { skPrefix: `${state}#` } : {});

/** Publicly listed entrepreneurs, optionally of one territory, with a competence and a pole. */
export const publicEntrepreneursPage = (
  where: { etd?: string | undefined; competence?: string | undefined; pole?: string | undefined },
  page: PageRequest,
): Promise<Page<Entrepreneur>> =>
  queryPage<Entrepreneur>('gsi2', partitions.publicEntrepreneurs, page, {
    ...(where.etd ? { skPrefix: `${where.etd}#` } : {}),
    ...containsFilter({ competences: where.competence, poles: where.pole }),
  });

export const historyPage = (entrepreneurId: string, page: PageRequest): Promise<Page<Record<string, unknown>>> =>
  queryPage(undefined, keys.entrepreneur(entrepreneurId).pk, page, { skPrefix: 'HIST#' });

export const clientsOfEtdPage = (etd: string, page: PageRequest): Promise<Page<Client>> =>
  queryPage<Client>('gsi1', partitions.clientsOfEtd(etd), page);

export const clientsOfEntrepreneurPage = (etd: string, entrepreneurId: string, page: PageRequest): Promise<Page<Client>> =>
  queryPage<Client>('gsi2', partitions.clientsOfEntrepreneur(etd, entrepreneurId), page);

/** Partners of a department, or all of them; optionally of one trade. */
export const partnersPage = (department: string | undefined, trade: string | undefined, page: PageRequest): Promise<Page<Partner>> =>
  department
    ? queryPage<Partner>('gsi1', partitions.partnersOfDepartment(department), page, containsFilter({ trades: trade }))
    : queryPage<Partner>('gsi2', partitions.partners, page, containsFilter({ trades: trade }));

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

/** Every partner working in a department (gsi1 DEPT#<code>#PAR), oldest record first: what matching a referral reads. */
export async function* partnersOfDepartment(code: string): AsyncGenerator<Partner> {
  const fields =
    'id,siret,legalName,trades,departments,decennale,rge,technicians,contact,address,registeredOn,createdAt,createdBy,updatedAt,updatedBy,version';
  for await (const item of queryAll('gsi1', partitions.partnersOfDepartment(code), fields)) yield fromItem<Partner>(item);
}

/** The active entrepreneurs of a territory (gsi1 ETD#<etd>#ENT, begins_with active#), projected. */
export async function* activeEntrepreneursOf(etd: string): AsyncGenerator<ActiveEntrepreneur> {
  for await (const e of queryAll('gsi1', partitions.entrepreneursOfEtd(etd), 'id,etd,cae,competences,firstName,lastName', {
    skPrefix: 'active#',
  })) {
    yield {
      id: String(e.id),
      etd: String(e.etd),
      cae: e.cae as ActiveEntrepreneur['cae'],
      competences: (e.competences as ActiveEntrepreneur['competences'] | undefined) ?? [],
      firstName: String(e.firstName),
      lastName: String(e.lastName),
    };
  }
}

// ---- Transaction parts: every write of the context is built here -------------------------------

const putNew = (item: Record<string, unknown>): TransactItem => ({
  Put: { TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
});

/** The history entry of a record at `version` (HIST#…), in the record's own partition. */
const history =
  (pk: string) =>
  (version: number, actor: Actor, now: Date, entry: Record<string, unknown>): TransactItem =>
    auditEntry(table(), pk, version, actor, now, entry);

export const etdHistory = (code: string) => history(keys.etd(code).pk);
export const entrepreneurHistory = (id: string) => history(keys.entrepreneur(id).pk);
export const clientHistory = (id: string) => history(keys.client(id).pk);
export const partnerHistory = (id: string) => history(keys.partner(id).pk);

/** A new territory; fails if the code is taken. */
export const newEtd = (etd: Etd): TransactItem =>
  putNew({ ...keys.etd(etd.code), entity: 'etd', gsi1pk: partitions.etds, gsi1sk: etd.code, ...etd });

/** Writes the territory at its next version, if nobody changed it meanwhile. */
export const replaceEtd = (next: Etd, expected: { version: number }): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...keys.etd(next.code), entity: 'etd', gsi1pk: partitions.etds, gsi1sk: next.code, ...next },
    ConditionExpression: 'version = :v',
    ExpressionAttributeValues: { ':v': expected.version },
  },
});

/** Fails unless the territory exists. */
export const etdExists = (code: string): TransactItem => ({
  ConditionCheck: { TableName: table(), Key: keys.etd(code), ConditionExpression: 'attribute_exists(pk)' },
});

function entrepreneurItem(e: Entrepreneur): Record<string, unknown> {
  return {
    ...keys.entrepreneur(e.id),
    entity: 'entrepreneur',
    gsi1pk: partitions.entrepreneursOfEtd(e.etd),
    gsi1sk: `${e.state}#${e.createdAt}#${e.id}`,
    ...(isPubliclyListed(e.state, e.publicProfile?.visible)
      ? { gsi2pk: partitions.publicEntrepreneurs, gsi2sk: `${e.etd}#${e.createdAt}#${e.id}` }
      : {}),
    ...e,
  };
}

export const newEntrepreneur = (e: Entrepreneur): TransactItem => putNew(entrepreneurItem(e));

/** The entrepreneur at its next version; fails unless the stored one is at `expected.version` (and `expected.state`). */
export const replaceEntrepreneur = (next: Entrepreneur, expected: { version: number; state?: EntrepreneurState }): TransactItem => ({
  Put: {
    TableName: table(),
    Item: entrepreneurItem(next),
    ...(expected.state === undefined
      ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expected.version } }
      : {
          ConditionExpression: 'version = :v AND #state = :from',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':v': expected.version, ':from': expected.state },
        }),
  },
});

/** Fails unless the entrepreneur exists in the territory and has not left. */
export const entrepreneurCurrentIn = (id: string, etd: string): TransactItem => ({
  ConditionCheck: {
    TableName: table(),
    Key: keys.entrepreneur(id),
    ConditionExpression: 'attribute_exists(pk) AND etd = :etd AND #state <> :left',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':etd': etd, ':left': 'left' },
  },
});

/** Reserves an e-mail address in a territory for the entrepreneur `ownerId`; fails if taken. */
export const reserveEmail = (etd: string, email: string, ownerId: string): TransactItem =>
  putNew({ ...keys.emailGuard(etd, email), entity: 'guard', ownerId });

/** Frees the address the entrepreneur `ownerId` held; fails if another record owns it. */
export const releaseEmail = (etd: string, email: string, ownerId: string): TransactItem => ({
  Delete: {
    TableName: table(),
    Key: keys.emailGuard(etd, email),
    ConditionExpression: 'ownerId = :id',
    ExpressionAttributeValues: { ':id': ownerId },
  },
});

export const newClient = (client: Client): TransactItem =>
  putNew({
    ...keys.client(client.id),
    entity: 'client',
    gsi1pk: partitions.clientsOfEtd(client.etd),
    gsi1sk: `${client.createdAt}#${client.id}`,
    gsi2pk: partitions.clientsOfEntrepreneur(client.etd, client.entrepreneurId),
    gsi2sk: `${client.createdAt}#${client.id}`,
    ...client,
  });

/** A new partner: its SIRET guard (fails if the SIRET is taken), the partner, one item per department. */
export function newPartner(partner: Partner): TransactItem[] {
  const sortKey = `${partner.createdAt}#${partner.id}`;
  return [
    putNew({ ...keys.siretGuard(partner.siret), entity: 'guard', ownerId: partner.id }),
    putNew({ ...keys.partner(partner.id), entity: 'partner', gsi2pk: partitions.partners, gsi2sk: sortKey, ...partner }),
    ...partner.departments.map((code) =>
      putNew({
        ...keys.partnerDepartment(partner.id, code),
        entity: 'partner-department',
        gsi1pk: partitions.partnersOfDepartment(code),
        gsi1sk: sortKey,
        ...partner,
      }),
    ),
  ];
}

// ---- Demo seed marker (infra/local/seed.ts) ----------------------------------------------------

export const isSeeded = async (): Promise<boolean> => (await getItem(keys.seedMarker)) !== undefined;
export async function markSeeded(now: Date): Promise<void> {
  await documentClient().send(new PutCommand({ TableName: table(), Item: { ...keys.seedMarker, entity: 'seed', at: now.toISOString() } }));
}
