/** Onboarding use cases against a real DynamoDB Local: guards, transactions, scopes, pages. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalTables } from '../support/local-tables.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../functions/shared/errors.ts';
import { CreateClientBody, CreateEntrepreneurBody, CreateEtdBody, CreatePartnerBody } from '../../functions/onboarding/schemas.ts';
import * as service from '../../functions/onboarding/service.ts';
import { queryPage } from '../../functions/onboarding/store.ts';
import { demoClients, demoEntrepreneurs, demoEtds, demoPartners } from '../../infra/local/demo-data.ts';

useLocalTables();

const now = new Date('2026-11-25T10:00:00Z');
const operator: Principal = { sub: 'op-1', role: 'operator' };
const manager44: Principal = { sub: 'mgr-44', role: 'manager', etd: '44' };
const manager85: Principal = { sub: 'mgr-85', role: 'manager', etd: '85' };

const etdBody = (code: '44' | '85') => CreateEtdBody().parse(demoEtds.find((e) => e.code === code));
const entrepreneurBody = (overrides: Record<string, unknown> = {}) =>
  CreateEntrepreneurBody().parse({ ...demoEntrepreneurs[0], ...overrides });
let counter = 0;
const uniqueEmail = () => `es${++counter}.${Date.now()}@example.org`;

async function activeEntrepreneur(etd: '44' | '85', overrides: Record<string, unknown> = {}) {
  const e = await service.createEntrepreneur(operator, entrepreneurBody({ etd, email: uniqueEmail(), ...overrides }), now);
  await service.transitionEntrepreneur(operator, e.id, { to: 'validated' }, now);
  return service.transitionEntrepreneur(operator, e.id, { to: 'active' }, now);
}

const history = (pk: string) => queryPage<Record<string, unknown>>(undefined, pk, { limit: 100 }, { skPrefix: 'HIST#' });

/** Territories 44 and 85, opened before any test: every test of people needs them (each test passes alone, in any order). */
let opened: Awaited<ReturnType<typeof service.createEtd>>[] = [];
beforeAll(async () => {
  opened = [await service.createEtd(operator, etdBody('44'), now), await service.createEtd(operator, etdBody('85'), now)];
});

describe('territories', () => {
  it('opens 44 and 85 once each', async () => {
    expect(opened[0]).toMatchObject({ code: '44', version: 1, createdBy: 'op-1' });
    expect(opened[1]).toMatchObject({ code: '85', version: 1 });
    await expect(service.createEtd(operator, etdBody('44'), now)).rejects.toBeInstanceOf(ConflictError);
    expect((await history('ETD#44')).items).toHaveLength(1);
  });

  it('shows a manager its own territory only', async () => {
    expect((await service.listEtds(manager44, { limit: 20 })).items.map((e) => e.code)).toEqual(['44']);
    expect((await service.listEtds(operator, { limit: 20 })).items.map((e) => e.code)).toEqual(['44', '85']);
    await expect(service.getEtd(manager44, '85')).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.getEtd(operator, '01')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('entrepreneurs', () => {
  it('registers in state applied with its history', async () => {
    const e = await service.createEntrepreneur(manager44, entrepreneurBody({ email: uniqueEmail() }), now);
    expect(e).toMatchObject({ state: 'applied', etd: '44', version: 1, createdBy: 'mgr-44' });
    expect(e.id).toMatch(/^ent_/);
    expect((await history(`ENT#${e.id}`)).items).toEqual([
      expect.objectContaining({ action: 'created', by: { sub: 'mgr-44', role: 'manager' } }),
    ]);
  });

  it('refuses an unknown territory and a territory of another manager alike, writing nothing', async () => {
    const email = uniqueEmail();
    for (const [principal, etd] of [
      [operator, '01'],
      [manager44, '85'],
    ] as const) {
      const error = await service.createEntrepreneur(principal, entrepreneurBody({ etd, email }), now).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.errors).toEqual([{ path: 'etd', message: 'no territory with this code' }]);
    }
    // The e-mail guard was not left behind: the address is still free.
    await expect(service.createEntrepreneur(operator, entrepreneurBody({ etd: '44', email }), now)).resolves.toBeDefined();
  });

  it('keeps e-mails unique per territory, whatever the case, even under concurrency', async () => {
    const email = uniqueEmail();
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        service.createEntrepreneur(operator, entrepreneurBody({ email: i % 2 ? email.toUpperCase() : email }), now),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(attempts.filter((a) => a.status === 'rejected').every((a) => (a as PromiseRejectedResult).reason instanceof ConflictError)).toBe(
      true,
    );
    await expect(service.createEntrepreneur(operator, entrepreneurBody({ etd: '85', email }), now)).resolves.toMatchObject({ etd: '85' });
  });

  it('moves along the lifecycle and names the allowed moves otherwise', async () => {
    const e = await service.createEntrepreneur(operator, entrepreneurBody({ email: uniqueEmail() }), now);
    const error = await service.transitionEntrepreneur(manager44, e.id, { to: 'active' }, now).catch((x) => x);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.extensions).toMatchObject({ from: 'applied', to: 'active', allowed: ['validated'] });
    for (const to of ['validated', 'active', 'suspended', 'active', 'suspended', 'left'] as const) {
      expect(await service.transitionEntrepreneur(manager44, e.id, { to, reason: `to ${to}` }, now)).toMatchObject({ state: to });
    }
    await expect(service.transitionEntrepreneur(manager44, e.id, { to: 'active' }, now)).rejects.toBeInstanceOf(ConflictError);
    const entries = (await service.entrepreneurHistory(operator, e.id, { limit: 100 })).items;
    expect(entries.map((h) => h.to ?? h.action)).toEqual(['created', 'validated', 'active', 'suspended', 'active', 'suspended', 'left']);
    expect(entries[6]).toMatchObject({ from: 'suspended', to: 'left', reason: 'to left', version: 7 });
  });

  it('hides another territory’s entrepreneur (404) and lets an entrepreneur read only itself', async () => {
    const e = await service.createEntrepreneur(operator, entrepreneurBody({ etd: '85', email: uniqueEmail() }), now);
    await expect(service.getEntrepreneur(manager44, e.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.getEntrepreneur(manager85, e.id)).resolves.toMatchObject({ id: e.id });
    await expect(service.getEntrepreneur({ sub: e.id, entityId: e.id, role: 'entrepreneur', etd: '85' }, e.id)).resolves.toMatchObject({
      id: e.id,
    });
    await expect(
      service.getEntrepreneur({ sub: 'ent_other', entityId: 'ent_other', role: 'entrepreneur', etd: '85' }, e.id),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('updates with the current version only, and moves the e-mail guard in the same transaction', async () => {
    const first = await service.createEntrepreneur(operator, entrepreneurBody({ email: uniqueEmail() }), now);
    const other = await service.createEntrepreneur(operator, entrepreneurBody({ email: uniqueEmail() }), now);
    const self: Principal = { sub: first.id, entityId: first.id, role: 'entrepreneur', etd: '44' };

    await expect(service.updateEntrepreneur(self, first.id, { version: 1, status: 'designer' }, now)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(service.updateEntrepreneur(self, first.id, { version: 1, email: other.email }, now)).rejects.toBeInstanceOf(ConflictError);
    const newEmail = uniqueEmail();
    const updated = await service.updateEntrepreneur(self, first.id, { version: 1, email: newEmail, hourlyRateCents: 2200 }, now);
    expect(updated).toMatchObject({ version: 2, email: newEmail, hourlyRateCents: 2200, updatedBy: first.id });
    await expect(service.updateEntrepreneur(manager44, first.id, { version: 1, phone: '0611223344' }, now)).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );

    // The old address was released, the new one is taken.
    await expect(service.createEntrepreneur(operator, entrepreneurBody({ email: first.email }), now)).resolves.toBeDefined();
    await expect(service.createEntrepreneur(operator, entrepreneurBody({ email: newEmail }), now)).rejects.toBeInstanceOf(ConflictError);
    const entries = (await service.entrepreneurHistory(manager44, first.id, { limit: 10 })).items;
    expect(entries.at(-1)).toMatchObject({
      action: 'updated',
      fields: ['email', 'hourlyRateCents'],
      by: { sub: first.id, role: 'entrepreneur' },
    });
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const e = await service.createEntrepreneur(operator, entrepreneurBody({ email: uniqueEmail() }), now);
    const results = await Promise.allSettled([
      service.updateEntrepreneur(manager44, e.id, { version: 1, hourlyRateCents: 3000 }, now),
      service.updateEntrepreneur(manager44, e.id, { version: 1, hourlyRateCents: 3100 }, now),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(PreconditionFailedError);
  });

  it('lists a territory page by page, by state, and refuses a cursor of another territory', async () => {
    for (let i = 0; i < 5; i++) await activeEntrepreneur('85');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await service.listEntrepreneurs(manager85, { limit: 2, cursor });
      seen.push(...page.items.map((e) => e.id));
      expect(page.items.every((e) => e.etd === '85')).toBe(true);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const active = await service.listEntrepreneurs(operator, { etd: '85', state: 'active', limit: 100 });
    expect(active.items.length).toBeGreaterThanOrEqual(5);
    expect(active.items.every((e) => e.state === 'active')).toBe(true);

    for (let i = 0; i < 2; i++) await activeEntrepreneur('44'); // a next page in 44, whichever test ran before
    const page44 = await service.listEntrepreneurs(manager44, { limit: 1 });
    await expect(service.listEntrepreneurs(manager85, { limit: 1, cursor: page44.nextCursor })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.listEntrepreneurs(operator, { limit: 1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.listEntrepreneurs(manager44, { etd: '85', limit: 1 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('publishes only active and visible entrepreneurs, with public fields only', async () => {
    const listed = await activeEntrepreneur('44', { competences: ['trainer'], poles: ['renovation'] });
    const hidden = await activeEntrepreneur('44', { publicProfile: { headline: 'x', missions: 'y', visible: false } });
    const applied = await service.createEntrepreneur(operator, entrepreneurBody({ email: uniqueEmail() }), now);
    const page = await service.publicEntrepreneurs({ etd: '44', competence: 'trainer', pole: 'renovation', limit: 100 });
    const ids = page.items.map((e) => e.id);
    expect(ids).toContain(listed.id);
    expect(ids).not.toContain(hidden.id);
    expect(ids).not.toContain(applied.id);
    const view = page.items.find((e) => e.id === listed.id)!;
    expect(view).toEqual({
      id: listed.id,
      etd: '44',
      cae: 'SAMAD',
      displayName: 'Martine L.',
      headline: listed.publicProfile!.headline,
      missions: listed.publicProfile!.missions,
      competences: ['trainer'],
      poles: ['renovation'],
      hourlyRateCents: 2085,
    });
    // Suspended: no longer listed.
    await service.transitionEntrepreneur(operator, listed.id, { to: 'suspended' }, now);
    expect((await service.publicEntrepreneurs({ etd: '44', limit: 100 })).items.map((e) => e.id)).not.toContain(listed.id);
  });
});

describe('clients', () => {
  it('registers a manager’s client for an entrepreneur of its territory only', async () => {
    const es44 = await activeEntrepreneur('44');
    const es85 = await activeEntrepreneur('85');
    const body = CreateClientBody().parse(demoClients[0].body);
    await expect(service.createClient(manager44, body, now)).rejects.toThrow(ValidationError);
    await expect(service.createClient(manager44, { ...body, entrepreneurId: es85.id }, now)).rejects.toThrow(ValidationError);
    const client = await service.createClient(manager44, { ...body, entrepreneurId: es44.id }, now);
    expect(client).toMatchObject({ kind: 'individual', entrepreneurId: es44.id, etd: '44' });
    await expect(service.getClient(manager85, client.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets an entrepreneur register and see its own clients only', async () => {
    const mine = await activeEntrepreneur('44');
    const colleague = await activeEntrepreneur('44');
    const self: Principal = { sub: mine.id, entityId: mine.id, role: 'entrepreneur', etd: '44' };
    const body = CreateClientBody().parse(demoClients[2].body);
    const client = await service.createClient(self, body, now);
    expect(client.entrepreneurId).toBe(mine.id);
    await expect(service.createClient(self, { ...body, entrepreneurId: colleague.id }, now)).rejects.toBeInstanceOf(ValidationError);
    const theirs = await service.createClient({ sub: colleague.id, entityId: colleague.id, role: 'entrepreneur', etd: '44' }, body, now);
    expect((await service.listClients(self, { limit: 100 })).items.map((c) => c.id)).toEqual([client.id]);
    await expect(service.getClient(self, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    const all = await service.listClients(manager44, { limit: 100 });
    expect(all.items.map((c) => c.id)).toEqual(expect.arrayContaining([client.id, theirs.id]));
    expect((await service.listClients(manager44, { entrepreneurId: colleague.id, limit: 100 })).items.map((c) => c.id)).toEqual([
      theirs.id,
    ]);
  });

  it('refuses an entrepreneur who has left', async () => {
    const e = await activeEntrepreneur('44');
    await service.transitionEntrepreneur(operator, e.id, { to: 'suspended' }, now);
    await service.transitionEntrepreneur(operator, e.id, { to: 'left' }, now);
    const body = CreateClientBody().parse(demoClients[0].body);
    await expect(service.createClient({ sub: e.id, entityId: e.id, role: 'entrepreneur', etd: '44' }, body, now)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('partners', () => {
  it('registers once per SIRET and lists by department and trade', async () => {
    const [atlantique, bocage] = demoPartners.map((p) => CreatePartnerBody().parse(p));
    const a = await service.createPartner(operator, atlantique!, now);
    const b = await service.createPartner(manager44, bocage!, now);
    await expect(service.createPartner(operator, atlantique!, now)).rejects.toBeInstanceOf(ConflictError);
    await expect(
      service.createPartner(manager85, { ...bocage!, siret: '53456789600012', departments: ['44'] }, now),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      service.createPartner(manager44, { ...bocage!, siret: '53456789600012', departments: ['44', '85'] }, now),
    ).rejects.toBeInstanceOf(ValidationError);

    expect((await service.listPartners(manager44, { limit: 100 })).items.map((p) => p.id).sort()).toEqual([a.id, b.id].sort()); // same instant: order between them is not defined
    expect((await service.listPartners(manager85, { limit: 100 })).items.map((p) => p.id)).toEqual([a.id]);
    expect((await service.listPartners(operator, { trade: 'insulation', limit: 100 })).items.map((p) => p.id)).toEqual([b.id]);
    expect((await service.listPartners(operator, { department: '85', trade: 'insulation', limit: 100 })).items).toEqual([]);
    await expect(service.listPartners(manager85, { department: '44', limit: 100 })).rejects.toBeInstanceOf(NotFoundError);

    await expect(service.getPartner(manager85, b.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.getPartner({ sub: b.id, entityId: b.id, role: 'partner' }, b.id)).resolves.toMatchObject({
      legalName: 'Isolation Bocage Rénovation',
    });
    await expect(service.getPartner({ sub: 'par_nobody', entityId: 'par_nobody', role: 'partner' }, 'par_nobody')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
