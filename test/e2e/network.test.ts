/**
 * The redevance and the costs over the local server: an invoice issued and relayed to
 * RecordRedevanceFacts, last month stated by an operator then read by the manager (its lines, its PDF
 * link); bad input answered as problem+json naming the field (basis points out of range, a version
 * overlapping a stated period, a malformed or unended period, an unknown territory, a bad cost range);
 * scopes: a manager of another territory 404, an entrepreneur and a partner 403; every invocation
 * metered to the local log with its territory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMonths, periodOf } from '../../functions/payroll/domain/period.ts';
import { meteringDir } from '../../infra/local/metering.ts';
import { startLocalEvents, type LocalEvents } from '../../infra/local/events.ts';
import { callerFor, expectAnswer, makeGrantWorld, standardInvoice, type GrantWorld } from '../support/grant-world.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';

let server: TestServer;
let events: LocalEvents;
let world: GrantWorld;
// Months of business are Paris months: between 22:00 and 24:00 UTC on a month's last day, Paris is already in the next.
const month = (offset: number) => addMonths(periodOf(new Date()), offset);
const lastMonth = month(-1);
const thisMonth = month(0);

beforeAll(async () => {
  server = await startLocalTestServer();
  events = await startLocalEvents({ endpoint: inject('ddbEndpoint'), intervalMs: 200, log: () => {} });
  world = await makeGrantWorld(server);
});
afterAll(async () => {
  await events?.stop();
  await server?.stop();
});

/** A problem+json body naming the field (in `errors`, or `field` for a conflict). */
const problem = (body: any, field: string) => {
  expect(body.type).toMatch(/\/problems\//);
  expect(body.errors?.map((e: { path: string }) => e.path) ?? [body.field]).toContain(field);
};

describe('redevance over HTTP', () => {
  it('states last month, reads it back, refuses bad input naming the field, and scopes it', async () => {
    const { operator, manager } = world;
    const issued = await expectAnswer(
      manager('POST', `/invoices/${(await expectAnswer(manager('POST', '/invoices', standardInvoice(world, 'Peinture')), 201)).id}/issue`),
      200,
    );
    await events.drained();

    // Bad rate versions: out of range, both parts above 100 %, an unknown territory, a malformed day.
    const rate = { from: `${lastMonth}-01`, conceptualBasisPoints: 150, operationalBasisPoints: 250, basis: 'invoiced' };
    problem(
      await expectAnswer(operator('POST', '/etds/44/redevance/rates', { ...rate, conceptualBasisPoints: -1 }), 400),
      'conceptualBasisPoints',
    );
    problem(
      await expectAnswer(operator('POST', '/etds/44/redevance/rates', { ...rate, operationalBasisPoints: 10_001 }), 400),
      'operationalBasisPoints',
    );
    problem(
      await expectAnswer(
        operator('POST', '/etds/44/redevance/rates', { ...rate, conceptualBasisPoints: 6_000, operationalBasisPoints: 4_500 }),
        400,
      ),
      'operationalBasisPoints',
    );
    problem(await expectAnswer(operator('POST', '/etds/44/redevance/rates', { ...rate, from: '2026-02-30' }), 400), 'from');
    await expectAnswer(operator('POST', '/etds/29/redevance/rates', rate), 404);
    await expectAnswer(manager('POST', '/etds/44/redevance/rates', rate), 403);
    await expectAnswer(operator('POST', '/etds/44/redevance/rates', rate), 201);

    // Bad periods: malformed, not ended, in the future.
    problem(await expectAnswer(operator('POST', '/etds/44/redevance/statements', { period: '2026-13' }), 400), 'period');
    problem(await expectAnswer(operator('POST', '/etds/44/redevance/statements', { period: thisMonth }), 400), 'period');
    problem(await expectAnswer(operator('POST', '/etds/44/redevance/statements', { period: month(3) }), 400), 'period');

    const statement = await expectAnswer(operator('POST', '/etds/44/redevance/statements', { period: lastMonth }), 200);
    expect(statement).toMatchObject({ id: `44-${lastMonth}`, created: true });
    // Again: the same statement, nothing written.
    const again = await expectAnswer(operator('POST', '/etds/44/redevance/statements', { period: lastMonth }), 200);
    expect(again).toMatchObject({ created: false, contentHash: statement.contentHash });
    // A version starting in the stated month is refused, naming `from`.
    problem(await expectAnswer(operator('POST', '/etds/44/redevance/rates', { ...rate, from: `${lastMonth}-15` }), 400), 'from');

    expect((await expectAnswer(manager('GET', '/redevance/statements'), 200)).items.map((s: { id: string }) => s.id)).toEqual([
      statement.id,
    ]);
    await expectAnswer(manager('GET', `/redevance/statements/${statement.id}`), 200);
    await expectAnswer(manager('GET', `/redevance/statements/${statement.id}/lines`), 200);
    expect((await expectAnswer(manager('GET', `/redevance/statements/${statement.id}/pdf`), 200)).url).toContain('redevance-44-');
    problem(await expectAnswer(manager('GET', '/redevance/statements/44-2026-13'), 400), 'path.id');
    problem(await expectAnswer(operator('GET', '/redevance/statements?etd=29'), 400), 'query.etd');

    // Scopes.
    const other = callerFor(server, await server.token('manager', '85'));
    await expectAnswer(other('GET', `/redevance/statements/${statement.id}`), 404);
    await expectAnswer(other('GET', '/etds/44/redevance/rates'), 404);
    expect((await expectAnswer(other('GET', '/redevance/statements'), 200)).items).toEqual([]);
    const entrepreneur = callerFor(server, await server.token('entrepreneur', '44', world.entrepreneurId));
    await expectAnswer(entrepreneur('GET', `/redevance/statements/${statement.id}`), 403);
    await expectAnswer(entrepreneur('GET', '/costs?from=2026-11-01&to=2026-11-02'), 403);
    const partner = callerFor(server, await server.token('partner', undefined, 'par_00000000000000000000000000'));
    await expectAnswer(partner('GET', '/redevance/statements'), 403);

    // Costs: a bad range names `from`; an unknown territory names `query.etd`.
    problem(await expectAnswer(manager('GET', '/costs?from=2026-11-30&to=2026-11-01'), 400), 'query.from');
    problem(await expectAnswer(operator('GET', '/costs?etd=29&from=2026-11-01&to=2026-11-30'), 400), 'query.etd');
    expect((await expectAnswer(manager('GET', '/costs?from=2026-11-01&to=2026-11-30'), 200)).etd).toBe('44');

    // Every invocation metered to the local log, with its territory when it has one.
    const dir = meteringDir(server.dataDir);
    expect(existsSync(dir)).toBe(true);
    const lines = readdirSync(dir).flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    );
    expect(lines.some((l) => l.fn === 'IssueRedevanceStatement' && l.etd === '44' && l.wcu > 0)).toBe(true);
    expect(lines.some((l) => l.fn === 'RecordRedevanceFacts' && l.trigger === 'event' && l.etd === '44')).toBe(true);
    expect(issued.number).toBeTruthy();
  });
});
