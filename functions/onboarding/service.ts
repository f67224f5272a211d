/**
 * Onboarding use cases. Each validates scope, applies the pure rules of domain/, and writes the
 * entity, its guards and its history entry in one transaction. Handlers call these and nothing else.
 */
import type * as z from 'zod';
import { canSeeEtd, scopedEtd, selfId, type Principal } from '../shared/auth.ts';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { businessMetric } from '../shared/observability.ts';
import { createdBy, historyPut as writeHistory } from '../shared/audit.ts';
import { transact, type TransactItem } from '../shared/transactions.ts';
import { allowedTransitions, canTransition, isPubliclyListed, type EntrepreneurState } from './domain/entrepreneur.ts';
import type {
  Client,
  CreateClientBody,
  CreateEntrepreneurBody,
  CreateEtdBody,
  CreatePartnerBody,
  Entrepreneur,
  Etd,
  ListClientsQuery,
  ListEntrepreneursQuery,
  ListPartnersQuery,
  Partner,
  PatchEntrepreneurBody,
  PublicEntrepreneursQuery,
  TransitionBody,
} from './schemas.ts';
import { selfEditable } from './schemas.ts';
import { canSee } from './domain/access.ts';
import {
  activeBirthYears,
  etdCodes,
  fromItem,
  getItem,
  keys,
  loadClient,
  loadEntrepreneur,
  loadEtd,
  loadPartner,
  partitions,
  queryPage,
  table,
  type Page,
  type PageRequest,
} from './store.ts';

type In<T extends z.ZodType> = z.output<T>;

interface Audit {
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

const created = (principal: Principal, now: Date): Audit => createdBy(principal, now);

const historyPut = (entityPk: string, version: number, principal: Principal, now: Date, entry: Record<string, unknown>): TransactItem =>
  writeHistory(table(), entityPk, version, principal, now, entry);

const putNew = (item: Record<string, unknown>): TransactItem => ({
  Put: { TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
});

/** A load that found nothing → undefined, so an absent and an invisible record get the same answer. */
async function orAbsent<T>(loading: Promise<T>): Promise<T | undefined> {
  try {
    return await loading;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

const unknownEtd = () => new ValidationError([{ path: 'etd', message: 'no territory with this code' }]);

// ---- Territories ---------------------------------------------------------------------------

export async function createEtd(principal: Principal, input: In<typeof CreateEtdBody>, now: Date): Promise<Etd> {
  const etd: Etd = { ...input, ...created(principal, now) };
  const key = keys.etd(input.code);
  await transact(
    [
      putNew({ ...key, entity: 'etd', gsi1pk: partitions.etds, gsi1sk: input.code, ...etd }),
      historyPut(key.pk, 1, principal, now, { action: 'created' }),
    ],
    () => new ConflictError(`Territory ${input.code} already exists.`),
  );
  businessMetric('EtdOpened', input.code);
  return etd;
}

/** A territory the caller may see: operators any, managers and entrepreneurs their own. */
export async function getEtd(principal: Principal, code: string): Promise<Etd> {
  const etd = await orAbsent(loadEtd(code));
  if (!etd || !canSee(principal, { etd })) throw new NotFoundError(`Territory ${code} not found.`);
  return etd;
}

export async function listEtds(principal: Principal, page: PageRequest): Promise<Page<Etd>> {
  if (principal.role === 'operator') return queryPage<Etd>('gsi1', partitions.etds, page);
  const own = principal.etd ? await getItem(keys.etd(principal.etd)) : undefined;
  return { items: own ? [fromItem<Etd>(own)] : [] };
}

// ---- Entrepreneurs -------------------------------------------------------------------------

function entrepreneurIndexes(e: Entrepreneur): Record<string, string> {
  return {
    gsi1pk: partitions.entrepreneursOfEtd(e.etd),
    gsi1sk: `${e.state}#${e.createdAt}#${e.id}`,
    ...(isPubliclyListed(e.state, e.publicProfile?.visible)
      ? { gsi2pk: partitions.publicEntrepreneurs, gsi2sk: `${e.etd}#${e.createdAt}#${e.id}` }
      : {}),
  };
}

const entrepreneurItem = (e: Entrepreneur) => ({ ...keys.entrepreneur(e.id), entity: 'entrepreneur', ...entrepreneurIndexes(e), ...e });

export async function createEntrepreneur(principal: Principal, input: In<typeof CreateEntrepreneurBody>, now: Date): Promise<Entrepreneur> {
  if (!canSeeEtd(principal, input.etd)) throw unknownEtd();
  const entrepreneur: Entrepreneur = { id: newId('ent', now), ...input, state: 'applied', ...created(principal, now) };
  const key = keys.entrepreneur(entrepreneur.id);
  await transact(
    [
      { ConditionCheck: { TableName: table(), Key: keys.etd(input.etd), ConditionExpression: 'attribute_exists(pk)' } },
      putNew(entrepreneurItem(entrepreneur)),
      putNew({ ...keys.emailGuard(input.etd, input.email), entity: 'guard', ownerId: entrepreneur.id }),
      historyPut(key.pk, 1, principal, now, { action: 'created' }),
    ],
    (index) =>
      index === 0
        ? unknownEtd()
        : new ConflictError(`An entrepreneur with this e-mail address already exists in territory ${input.etd}.`, { field: 'email' }),
  );
  businessMetric('EntrepreneurApplied', input.etd);
  return entrepreneur;
}

/** An entrepreneur the caller may see: staff of its territory, operators, or itself. */
export async function getEntrepreneur(principal: Principal, id: string): Promise<Entrepreneur> {
  const entrepreneur = await orAbsent(loadEntrepreneur(id));
  if (!entrepreneur || !canSee(principal, { entrepreneur })) throw new NotFoundError(`Entrepreneur ${id} not found.`);
  return entrepreneur;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function updateEntrepreneur(
  principal: Principal,
  id: string,
  patch: In<typeof PatchEntrepreneurBody>,
  now: Date,
): Promise<Entrepreneur> {
  const { version, ...changes } = patch;
  if (principal.role === 'entrepreneur') {
    const refused = Object.keys(changes).filter((field) => !(selfEditable as readonly string[]).includes(field));
    if (refused.length > 0) throw new ForbiddenError(`An entrepreneur may not change: ${refused.join(', ')}.`);
  }
  const current = await getEntrepreneur(principal, id);
  if (current.version !== version) {
    throw new PreconditionFailedError(`Version ${version} is stale: the entrepreneur is at version ${current.version}. Read it again.`);
  }
  const fields = Object.keys(changes).filter(
    (f) => !sameJson((changes as Record<string, unknown>)[f], (current as Record<string, unknown>)[f]),
  );
  if (fields.length === 0) return current;

  const next: Entrepreneur = { ...current, ...changes, version: version + 1, updatedAt: now.toISOString(), updatedBy: principal.sub };
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table(),
        Item: entrepreneurItem(next),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': version },
      },
    },
    historyPut(keys.entrepreneur(id).pk, next.version, principal, now, { action: 'updated', fields }),
  ];
  const emailChanged = fields.includes('email');
  if (emailChanged) {
    items.push(
      {
        Delete: {
          TableName: table(),
          Key: keys.emailGuard(current.etd, current.email),
          ConditionExpression: 'ownerId = :id',
          ExpressionAttributeValues: { ':id': id },
        },
      },
      putNew({ ...keys.emailGuard(next.etd, next.email), entity: 'guard', ownerId: id }),
    );
  }
  await transact(items, (index) =>
    index === 0
      ? new PreconditionFailedError(`Version ${version} is stale: the entrepreneur changed meanwhile. Read it again.`)
      : new ConflictError(`An entrepreneur with this e-mail address already exists in territory ${next.etd}.`, { field: 'email' }),
  );
  return next;
}

export async function transitionEntrepreneur(
  principal: Principal,
  id: string,
  input: In<typeof TransitionBody>,
  now: Date,
): Promise<Entrepreneur> {
  const current = await getEntrepreneur(principal, id);
  const from: EntrepreneurState = current.state;
  if (!canTransition(from, input.to)) {
    const allowed = allowedTransitions(from);
    throw new ConflictError(
      `An entrepreneur cannot move from ${from} to ${input.to}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'none (final state)'}.`,
      { from, to: input.to, allowed },
    );
  }
  const next: Entrepreneur = {
    ...current,
    state: input.to,
    version: current.version + 1,
    updatedAt: now.toISOString(),
    updatedBy: principal.sub,
  };
  await transact(
    [
      {
        Put: {
          TableName: table(),
          Item: entrepreneurItem(next),
          ConditionExpression: 'version = :v AND #state = :from',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':v': current.version, ':from': from },
        },
      },
      historyPut(keys.entrepreneur(id).pk, next.version, principal, now, {
        action: 'transition',
        from,
        to: input.to,
        ...(input.reason ? { reason: input.reason } : {}),
      }),
    ],
    () => new ConflictError('The entrepreneur changed meanwhile; read it again and retry.'),
  );
  businessMetric(`EntrepreneurBecame${input.to[0]!.toUpperCase()}${input.to.slice(1)}`, current.etd);
  return next;
}

/** Operators name the territory; managers get their own. */
function listEtd(principal: Principal, requested: string | undefined): string {
  const etd = scopedEtd(principal, requested);
  if (!etd) throw new ValidationError([{ path: 'query.etd', message: 'is required for operators' }]);
  return etd;
}

export async function listEntrepreneurs(principal: Principal, query: In<typeof ListEntrepreneursQuery>): Promise<Page<Entrepreneur>> {
  const etd = listEtd(principal, query.etd);
  return queryPage<Entrepreneur>('gsi1', partitions.entrepreneursOfEtd(etd), query, query.state ? { skPrefix: `${query.state}#` } : {});
}

export async function entrepreneurHistory(principal: Principal, id: string, page: PageRequest): Promise<Page<Record<string, unknown>>> {
  await getEntrepreneur(principal, id);
  return queryPage(undefined, keys.entrepreneur(id).pk, page, { skPrefix: 'HIST#' });
}

export interface PublicEntrepreneurView {
  id: string;
  etd: string;
  cae: Entrepreneur['cae'];
  displayName: string;
  headline: string;
  missions: string;
  competences: Entrepreneur['competences'];
  poles: Entrepreneur['poles'];
  hourlyRateCents?: number;
}

/** Only what the public site shows: no e-mail, phone, birth year, status or full last name. */
export function publicView(e: Entrepreneur): PublicEntrepreneurView {
  return {
    id: e.id,
    etd: e.etd,
    cae: e.cae,
    displayName: `${e.firstName} ${e.lastName.charAt(0).toUpperCase()}.`,
    headline: e.publicProfile?.headline ?? '',
    missions: e.publicProfile?.missions ?? '',
    competences: e.competences,
    poles: e.poles,
    ...(e.hourlyRateCents !== undefined ? { hourlyRateCents: e.hourlyRateCents } : {}),
  };
}

export async function publicEntrepreneurs(query: In<typeof PublicEntrepreneursQuery>): Promise<Page<PublicEntrepreneurView>> {
  const filters: string[] = [];
  const values: Record<string, unknown> = {};
  if (query.competence) {
    filters.push('contains(competences, :competence)');
    values[':competence'] = query.competence;
  }
  if (query.pole) {
    filters.push('contains(poles, :pole)');
    values[':pole'] = query.pole;
  }
  const page = await queryPage<Entrepreneur>('gsi2', partitions.publicEntrepreneurs, query, {
    ...(query.etd ? { skPrefix: `${query.etd}#` } : {}),
    ...(filters.length ? { filter: { FilterExpression: filters.join(' AND '), ExpressionAttributeValues: values } } : {}),
  });
  return { ...page, items: page.items.map(publicView) };
}

// ---- Clients -------------------------------------------------------------------------------

export async function createClient(principal: Principal, input: In<typeof CreateClientBody>, now: Date): Promise<Client> {
  if (!canSeeEtd(principal, input.etd)) throw unknownEtd();
  let entrepreneurId: string;
  if (principal.role === 'entrepreneur') {
    if (input.entrepreneurId !== undefined && input.entrepreneurId !== selfId(principal)) {
      throw new ValidationError([{ path: 'entrepreneurId', message: 'an entrepreneur registers its own clients only' }]);
    }
    entrepreneurId = selfId(principal);
  } else {
    if (!input.entrepreneurId)
      throw new ValidationError([{ path: 'entrepreneurId', message: 'is required when a manager registers a client' }]);
    entrepreneurId = input.entrepreneurId;
  }
  const client = { ...input, id: newId('cli', now), entrepreneurId, ...created(principal, now) } as Client;
  const key = keys.client(client.id);
  await transact(
    [
      {
        ConditionCheck: {
          TableName: table(),
          Key: keys.entrepreneur(entrepreneurId),
          ConditionExpression: 'attribute_exists(pk) AND etd = :etd AND #state <> :left',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':etd': input.etd, ':left': 'left' },
        },
      },
      putNew({
        ...key,
        entity: 'client',
        gsi1pk: partitions.clientsOfEtd(input.etd),
        gsi1sk: `${client.createdAt}#${client.id}`,
        gsi2pk: partitions.clientsOfEntrepreneur(input.etd, entrepreneurId),
        gsi2sk: `${client.createdAt}#${client.id}`,
        ...client,
      }),
      historyPut(key.pk, 1, principal, now, { action: 'created' }),
    ],
    () =>
      principal.role === 'entrepreneur'
        ? new ForbiddenError('Your entrepreneur record is not active in this territory.')
        : new ValidationError([{ path: 'entrepreneurId', message: 'no current entrepreneur with this id in this territory' }]),
  );
  businessMetric('ClientRegistered', input.etd);
  return client;
}

/** A client the caller may see: staff of its territory, operators, or the entrepreneur in charge. */
export async function getClient(principal: Principal, id: string): Promise<Client> {
  const client = await orAbsent(loadClient(id));
  if (!client || !canSee(principal, { client })) throw new NotFoundError(`Client ${id} not found.`);
  return client;
}

export async function listClients(principal: Principal, query: In<typeof ListClientsQuery>): Promise<Page<Client>> {
  const etd = listEtd(principal, query.etd);
  if (principal.role === 'entrepreneur') {
    const self = selfId(principal);
    if (query.entrepreneurId !== undefined && query.entrepreneurId !== self) return { items: [] };
    return queryPage<Client>('gsi2', partitions.clientsOfEntrepreneur(etd, self), query);
  }
  return query.entrepreneurId
    ? queryPage<Client>('gsi2', partitions.clientsOfEntrepreneur(etd, query.entrepreneurId), query)
    : queryPage<Client>('gsi1', partitions.clientsOfEtd(etd), query);
}

// ---- Partners ------------------------------------------------------------------------------

export async function createPartner(principal: Principal, input: In<typeof CreatePartnerBody>, now: Date): Promise<Partner> {
  // A manager speaks for its own territory only: the other départements are set by operators.
  if (principal.role === 'manager' && (input.departments.length !== 1 || input.departments[0] !== principal.etd)) {
    throw new ValidationError([
      { path: 'departments', message: `a manager registers partners for its own territory only: ["${principal.etd}"]` },
    ]);
  }
  const partner: Partner = { id: newId('par', now), ...input, ...created(principal, now) };
  const key = keys.partner(partner.id);
  const sortKey = `${partner.createdAt}#${partner.id}`;
  await transact(
    [
      putNew({ ...keys.siretGuard(input.siret), entity: 'guard', ownerId: partner.id }),
      putNew({ ...key, entity: 'partner', gsi2pk: partitions.partners, gsi2sk: sortKey, ...partner }),
      ...input.departments.map((code) =>
        putNew({
          ...keys.partnerDepartment(partner.id, code),
          entity: 'partner-department',
          gsi1pk: partitions.partnersOfDepartment(code),
          gsi1sk: sortKey,
          ...partner,
        }),
      ),
      historyPut(key.pk, 1, principal, now, { action: 'created' }),
    ],
    () => new ConflictError(`A partner with SIRET ${input.siret} is already registered.`, { field: 'siret' }),
  );
  for (const code of input.departments) businessMetric('PartnerRegistered', code);
  return partner;
}

/** Operators see every partner; managers those working in their territory; a partner itself. */
export async function getPartner(principal: Principal, id: string): Promise<Partner> {
  const partner = await orAbsent(loadPartner(id));
  if (!partner || !canSee(principal, { partner }))
    throw new NotFoundError(principal.role === 'partner' ? 'No partner company is linked to this account.' : `Partner ${id} not found.`);
  return partner;
}

export async function listPartners(principal: Principal, query: In<typeof ListPartnersQuery>): Promise<Page<Partner>> {
  const department = scopedEtd(principal, query.department);
  const filter = query.trade
    ? { filter: { FilterExpression: 'contains(trades, :trade)', ExpressionAttributeValues: { ':trade': query.trade } } }
    : {};
  return department
    ? queryPage<Partner>('gsi1', partitions.partnersOfDepartment(department), query, filter)
    : queryPage<Partner>('gsi2', partitions.partners, query, filter);
}

// ---- Jobs ----------------------------------------------------------------------------------

/** For every territory, the birth years of its active entrepreneurs (what the impact job counts). */
export async function* activeBirthYearsByEtd(): AsyncGenerator<{ etd: string; birthYears: number[] }> {
  for await (const etd of etdCodes()) {
    const birthYears: number[] = [];
    for await (const year of activeBirthYears(etd)) birthYears.push(year);
    yield { etd, birthYears };
  }
}
