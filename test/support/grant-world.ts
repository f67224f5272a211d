/**
 * The little world the grant tests work in, made through the API of a local test server: territory
 * 44, an active entrepreneur (CAE MSG) and her client with an e-mail address, and request helpers
 * for the operator, the manager, anyone (public) and a partner.
 */
import { expect } from 'vitest';
import { demoClients, demoEntrepreneurs, demoEtds, demoPartners } from '../../infra/local/demo-data.ts';
import type { TestServer } from './local-server.ts';

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

export type Caller = (method: string, path: string, body?: unknown) => Promise<Answer>;

export interface GrantWorld {
  readonly operator: Caller;
  readonly manager: Caller;
  readonly anyone: Caller;
  /** A form post (client pages), no token. */
  readonly form: (path: string, fields: Record<string, string>) => Promise<Answer>;
  readonly entrepreneurId: string;
  readonly clientId: string;
}

/** Paint work: 10 h at 30 € and a travel fee, 20 % VAT. */
export const paintingLines = [
  { description: 'Peinture de la chambre, deux couches', kind: 'labour', quantity: 10, unit: 'h', unitPriceCents: 3_000, vatRate: '20' },
  { description: 'Frais de déplacement', kind: 'travel', quantity: 1, unit: 'lump-sum', unitPriceCents: 1_200, vatRate: '20' },
] as const;

export const renovationQuote = (world: Pick<GrantWorld, 'entrepreneurId' | 'clientId'>, title: string) => ({
  etd: '44',
  cae: 'MSG',
  entrepreneurId: world.entrepreneurId,
  clientId: world.clientId,
  siteAddress: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' },
  housingOver2Years: true,
  worksStartWithinDays: 30,
  depositPercent: 30,
  title,
  lines: paintingLines,
});

export const standardInvoice = (world: Pick<GrantWorld, 'entrepreneurId' | 'clientId'>, title: string) => ({
  etd: '44',
  cae: 'MSG',
  entrepreneurId: world.entrepreneurId,
  clientId: world.clientId,
  kind: 'standard',
  title,
  dueDays: 30,
  lines: paintingLines,
});

async function read(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // HTML pages stay text
  }
  return { status: response.status, body, headers: response.headers };
}

export function callerFor(server: TestServer, token: string | undefined): Caller {
  return async (method, path, body) =>
    read(
      await fetch(server.url + path, {
        method,
        redirect: 'manual',
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
}

export async function expectAnswer(answer: Promise<Answer>, status: number): Promise<any> {
  const { status: got, body } = await answer;
  expect(got, typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body)).toBe(status);
  return body;
}

/** Territory 44, an active MSG entrepreneur and her client (with an e-mail address). */
export async function makeGrantWorld(server: TestServer): Promise<GrantWorld> {
  const operator = callerFor(server, await server.token('operator'));
  const manager = callerFor(server, await server.token('manager', '44'));
  const anyone = callerFor(server, undefined);
  const form: GrantWorld['form'] = async (path, fields) =>
    read(
      await fetch(server.url + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      }),
    );
  await expectAnswer(operator('POST', '/etds', demoEtds[0]), 201);
  const entrepreneurId = (await expectAnswer(operator('POST', '/entrepreneurs', demoEntrepreneurs[2]), 201)).id as string;
  for (const to of ['validated', 'active'])
    await expectAnswer(operator('POST', `/entrepreneurs/${entrepreneurId}/transitions`, { to }), 200);
  const clientId = (await expectAnswer(manager('POST', '/clients', { ...demoClients[1].body, entrepreneurId }), 201)).id as string;
  return { operator, manager, anyone, form, entrepreneurId, clientId };
}

export { demoPartners };
