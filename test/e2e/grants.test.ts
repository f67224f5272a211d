/**
 * Grant enforcement, end to end: the local server is given a COPY of the route table with one
 * grant taken away from a few entries; each matching call then fails as it would in Lambda (500,
 * the refusal named by the grant runtime) and leaves nothing half-written, while the same calls on
 * the intact table pass.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type RouteDef } from '../../functions/routes.ts';
import { onGrantDenied, type GrantDenial } from '../../infra/local/grants.ts';
import { expectAnswer, makeGrantWorld, renovationQuote, standardInvoice, type GrantWorld } from '../support/grant-world.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';

/** The route table with `change` applied to the entry of `fn` (a copy: functions/routes.ts is untouched). */
function withEntry(fn: string, change: (def: RouteDef) => RouteDef): RouteDef[] {
  const table = (routes as readonly RouteDef[]).map((def) => (def.fn === fn ? change({ ...def }) : def));
  expect(table.some((def) => def.fn === fn)).toBe(true);
  return table;
}

const without = <K extends keyof RouteDef>(def: RouteDef, key: K): RouteDef => {
  const copy = { ...def };
  delete copy[key];
  return copy;
};

/** CreateInvoice may only read the sales table; UpdateQuote loses the directory table; SendQuote has no documents. */
const weakTable = withEntry('CreateInvoice', (def) => ({ ...def, tables: { ...def.tables, sales: 'read' } }))
  .map((def) => (def.fn === 'SendQuote' ? without(def, 'documents') : def))
  .map((def): RouteDef => (def.fn === 'UpdateQuote' ? { ...def, tables: { sales: 'write' } } : def));

function scenario(name: string, table: readonly RouteDef[] | undefined, weak: boolean): void {
  describe(name, () => {
    let server: TestServer;
    let world: GrantWorld;
    const denials: GrantDenial[] = [];
    let stop = () => {};

    beforeAll(async () => {
      server = await startLocalTestServer(table ? { routes: table } : {});
      world = await makeGrantWorld(server);
      stop = onGrantDenied((d) => denials.push(d));
    });
    afterAll(async () => {
      stop();
      await server?.stop();
    });

    it(weak ? 'POST /invoices with sales read-only: 500, DynamoDB refused the write, no invoice' : 'POST /invoices: 201', async () => {
      const answer = world.manager('POST', '/invoices', standardInvoice(world, 'Peinture de la chambre'));
      if (!weak) {
        await expectAnswer(answer, 201);
        return;
      }
      await expectAnswer(answer, 500);
      expect(denials.splice(0)).toEqual([
        expect.objectContaining({
          fn: 'CreateInvoice',
          kind: 'dynamodb',
          message: expect.stringMatching(
            /^User: arn:aws:sts::000000000000:assumed-role\/CreateInvoice-role\/CreateInvoice is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-3:000000000000:table\/\S+Sales because no identity-based policy allows the dynamodb:PutItem action$/,
          ),
        }),
      ]);
      expect((await expectAnswer(world.manager('GET', '/invoices'), 200)).items).toEqual([]);
    });

    it(
      weak ? 'PATCH /quotes/{id} without the directory table: 500, TABLE_DIRECTORY unset, the quote unchanged' : 'PATCH /quotes/{id}: 200',
      async () => {
        const draft = await expectAnswer(world.manager('POST', '/quotes', renovationQuote(world, 'Peinture de l’entrée')), 201);
        const answer = world.manager('PATCH', `/quotes/${draft.id}`, {
          version: draft.version,
          title: 'Peinture de l’entrée et de l’escalier',
          clientId: world.clientId,
        });
        if (!weak) {
          expect((await expectAnswer(answer, 200)).title).toBe('Peinture de l’entrée et de l’escalier');
          return;
        }
        await expectAnswer(answer, 500);
        expect(denials.splice(0)).toEqual([expect.objectContaining({ fn: 'UpdateQuote', kind: 'environment', what: 'TABLE_DIRECTORY' })]);
        expect(await expectAnswer(world.manager('GET', `/quotes/${draft.id}`), 200)).toMatchObject({
          title: 'Peinture de l’entrée',
          version: draft.version,
        });
      },
    );

    it(
      weak ? 'POST /quotes/{id}/send without documents: 500, no document stored, no e-mail' : 'POST /quotes/{id}/send: 200, e-mailed',
      async () => {
        const draft = await expectAnswer(world.manager('POST', '/quotes', renovationQuote(world, 'Peinture du salon')), 201);
        const before = server.outbox().length;
        const answer = world.manager('POST', `/quotes/${draft.id}/send`);
        if (!weak) {
          expect((await expectAnswer(answer, 200)).state).toBe('sent');
          expect(server.outbox().length).toBe(before + 1);
          return;
        }
        await expectAnswer(answer, 500);
        expect(denials.splice(0)).toEqual([
          expect.objectContaining({ fn: 'SendQuote', kind: 'documents', message: expect.stringContaining('DOCUMENTS_BUCKET is not set') }),
        ]);
        expect(server.outbox().length).toBe(before);
        expect(existsSync(join(server.dataDir, 'documents'))).toBe(false);
      },
    );

    if (!weak) {
      it('POST /invoices/{id}/credit-notes on an issued invoice: 201', async () => {
        const draft = await expectAnswer(world.manager('POST', '/invoices', standardInvoice(world, 'Peinture du couloir')), 201);
        const issued = await expectAnswer(world.manager('POST', `/invoices/${draft.id}/issue`), 200);
        await expectAnswer(
          world.manager('POST', `/invoices/${issued.id}/credit-notes`, {
            lines: [{ index: 0, quantity: 2 }],
            reason: 'Deux heures non effectuées',
          }),
          201,
        );
      });
      it('the intact table is refused nothing', () => expect(denials).toEqual([]));
    }
  });
}

scenario('a copy of the route table with grants removed', weakTable, true);
scenario('the route table as it is', undefined, false);

describe('the credit-note entry as it was before issue 7', () => {
  let server: TestServer;
  let world: GrantWorld;
  const denials: GrantDenial[] = [];
  let stop = () => {};
  const old = withEntry('CreateCreditNote', (def) => ({ ...without(def, 'mail'), secrets: ['stripeSecretKey'] }));

  beforeAll(async () => {
    server = await startLocalTestServer({ routes: old });
    world = await makeGrantWorld(server);
    stop = onGrantDenied((d) => denials.push(d));
  });
  afterAll(async () => {
    stop();
    await server?.stop();
  });

  it('fails offline as it would have in Lambda: 500, the link-signing key refused', async () => {
    const draft = await expectAnswer(world.manager('POST', '/invoices', standardInvoice(world, 'Peinture du couloir')), 201);
    const issued = await expectAnswer(world.manager('POST', `/invoices/${draft.id}/issue`), 200);
    await expectAnswer(
      world.manager('POST', `/invoices/${issued.id}/credit-notes`, {
        lines: [{ index: 0, quantity: 2 }],
        reason: 'Deux heures non effectuées',
      }),
      500,
    );
    expect(denials.map((d) => [d.fn, d.kind, d.what])).toContainEqual(['CreateCreditNote', 'secrets', 'linkSigningKey']);
  });
});
