/**
 * Onboarding use cases. Each validates scope, applies the pure rules of domain/, and writes the
 * entity, its guards and its history entry in one transaction whose parts store.ts builds (this
 * module holds rules and orchestration, no keys or items). Every read of one record loads it, then
 * applies the one visibility rule `canSee` (domain/access.ts). Handlers call these and nothing else.
 */
import type { Out } from '../shared/contract.ts';
import { createdBy } from '../shared/audit.ts';
import { canSeeEtd, scopedEtd, selfId, type Principal } from '../shared/auth.ts';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { businessMetric } from '../shared/observability.ts';
import { transact, type TransactItem } from '../shared/transactions.ts';
import { canSee } from './domain/access.ts';
import { allowedTransitions, canTransition, type EntrepreneurState } from './domain/entrepreneur.ts';
import type {
  ActiveEntrepreneur,
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
  PatchCaeLegalBody,
  PatchEntrepreneurBody,
  PublicEntrepreneursQuery,
  TransitionBody,
} from './schemas.ts';
import { Cae, selfEditable } from './schemas.ts';
import * as store from './store.ts';
import { loadClient, loadEntrepreneur, loadEtd, loadPartner, type Page, type PageRequest } from './store.ts';

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

export async function createEtd(principal: Principal, input: Out<typeof CreateEtdBody>, now: Date): Promise<Etd> {
  const etd: Etd = { ...input, ...createdBy(principal, now) };
  await transact(
    [store.newEtd(etd), store.etdHistory(etd.code)(1, principal, now, { action: 'created' })],
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
  if (principal.role === 'operator') return store.etdsPage(page);
  const own = principal.etd ? await orAbsent(loadEtd(principal.etd)) : undefined;
  return { items: own ? [own] : [] };
}

/**
 * An operator records a CAE's legal data as they change (its insurance renews every year; its SAP
 * declaration; its consumer mediator): the territory at its next version, the fields changed in its
 * history. Documents already issued keep what they printed (their document source).
 */
export async function updateCaeLegal(
  principal: Principal,
  code: string,
  cae: 'SAMAD' | 'MSG',
  patch: Out<typeof PatchCaeLegalBody>,
  now: Date,
): Promise<Etd> {
  const current = await getEtd(principal, code);
  const { version, ...changes } = patch;
  if (current.version !== version)
    throw new PreconditionFailedError(`Version ${version} is stale: the territory is at version ${current.version}. Read it again.`);
  const key = cae === 'SAMAD' ? 'samad' : 'msg';
  const merged = Cae().safeParse({ ...current.caes[key], ...changes });
  if (!merged.success)
    throw new ValidationError(merged.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
  const fields = Object.keys(changes).filter(
    (f) => !sameJson((changes as Record<string, unknown>)[f], (current.caes[key] as Record<string, unknown>)[f]),
  );
  if (fields.length === 0) return current;
  const next: Etd = {
    ...current,
    caes: { ...current.caes, [key]: merged.data },
    version: version + 1,
    updatedAt: now.toISOString(),
    updatedBy: principal.sub,
  };
  await transact(
    [
      store.replaceEtd(next, { version }),
      store.etdHistory(code)(next.version, principal, now, { action: 'updated', fields: fields.map((f) => `caes.${key}.${f}`) }),
    ],
    () => new PreconditionFailedError(`Version ${version} is stale: the territory changed meanwhile. Read it again.`),
  );
  businessMetric('CaeLegalDataUpdated', code);
  return next;
}

// ---- Entrepreneurs -------------------------------------------------------------------------

export async function createEntrepreneur(
  principal: Principal,
  input: Out<typeof CreateEntrepreneurBody>,
  now: Date,
): Promise<Entrepreneur> {
  if (!canSeeEtd(principal, input.etd)) throw unknownEtd();
  const entrepreneur: Entrepreneur = { id: newId('ent', now), ...input, state: 'applied', ...createdBy(principal, now) };
  await transact(
    [
      store.etdExists(input.etd),
      store.newEntrepreneur(entrepreneur),
      store.reserveEmail(input.etd, input.email, entrepreneur.id),
      store.entrepreneurHistory(entrepreneur.id)(1, principal, now, { action: 'created' }),
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
  patch: Out<typeof PatchEntrepreneurBody>,
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
    store.replaceEntrepreneur(next, { version }),
    store.entrepreneurHistory(id)(next.version, principal, now, { action: 'updated', fields }),
  ];
  if (fields.includes('email')) {
    items.push(store.releaseEmail(current.etd, current.email, id), store.reserveEmail(next.etd, next.email, id));
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
  input: Out<typeof TransitionBody>,
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
      store.replaceEntrepreneur(next, { version: current.version, state: from }),
      store.entrepreneurHistory(id)(next.version, principal, now, {
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

export async function listEntrepreneurs(principal: Principal, query: Out<typeof ListEntrepreneursQuery>): Promise<Page<Entrepreneur>> {
  const etd = listEtd(principal, query.etd);
  return store.entrepreneursOfEtdPage(etd, query.state, query);
}

export async function entrepreneurHistory(principal: Principal, id: string, page: PageRequest): Promise<Page<Record<string, unknown>>> {
  await getEntrepreneur(principal, id);
  return store.historyPage(id, page);
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

export async function publicEntrepreneurs(query: Out<typeof PublicEntrepreneursQuery>): Promise<Page<PublicEntrepreneurView>> {
  const page = await store.publicEntrepreneursPage(query, query);
  return { ...page, items: page.items.map(publicView) };
}

// ---- Clients -------------------------------------------------------------------------------

export async function createClient(principal: Principal, input: Out<typeof CreateClientBody>, now: Date): Promise<Client> {
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
  const client = { ...input, id: newId('cli', now), entrepreneurId, ...createdBy(principal, now) } as Client;
  await transact(
    [
      store.entrepreneurCurrentIn(entrepreneurId, input.etd),
      store.newClient(client),
      store.clientHistory(client.id)(1, principal, now, { action: 'created' }),
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

export async function listClients(principal: Principal, query: Out<typeof ListClientsQuery>): Promise<Page<Client>> {
  const etd = listEtd(principal, query.etd);
  if (principal.role === 'entrepreneur') {
    const self = selfId(principal);
    if (query.entrepreneurId !== undefined && query.entrepreneurId !== self) return { items: [] };
    return store.clientsOfEntrepreneurPage(etd, self, query);
  }
  return query.entrepreneurId ? store.clientsOfEntrepreneurPage(etd, query.entrepreneurId, query) : store.clientsOfEtdPage(etd, query);
}

// ---- Partners ------------------------------------------------------------------------------

export async function createPartner(principal: Principal, input: Out<typeof CreatePartnerBody>, now: Date): Promise<Partner> {
  // A manager speaks for its own territory only: the other départements are set by operators.
  if (principal.role === 'manager' && (input.departments.length !== 1 || input.departments[0] !== principal.etd)) {
    throw new ValidationError([
      { path: 'departments', message: `a manager registers partners for its own territory only: ["${principal.etd}"]` },
    ]);
  }
  const partner: Partner = { id: newId('par', now), ...input, ...createdBy(principal, now) };
  await transact(
    [...store.newPartner(partner), store.partnerHistory(partner.id)(1, principal, now, { action: 'created' })],
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

export async function listPartners(principal: Principal, query: Out<typeof ListPartnersQuery>): Promise<Page<Partner>> {
  const department = scopedEtd(principal, query.department);
  return store.partnersPage(department, query.trade, query);
}

// ---- Jobs ----------------------------------------------------------------------------------

/** The code of every territory. */
export const territoryCodes = (): AsyncGenerator<string> => store.etdCodes();

/**
 * The active entrepreneurs of a territory, or of every territory when none is named (payroll's
 * monthly job: a draft for each, even without any movement yet).
 */
export async function* activeEntrepreneurs(etd?: string): AsyncGenerator<ActiveEntrepreneur> {
  const codes = etd === undefined ? store.etdCodes() : [etd];
  for await (const code of codes) yield* store.activeEntrepreneursOf(code);
}

/** For every territory, the birth years of its active entrepreneurs (what the impact job counts). */
export async function* activeBirthYearsByEtd(): AsyncGenerator<{ etd: string; birthYears: number[] }> {
  for await (const etd of store.etdCodes()) {
    const birthYears: number[] = [];
    for await (const year of store.activeBirthYears(etd)) birthYears.push(year);
    yield { etd, birthYears };
  }
}
