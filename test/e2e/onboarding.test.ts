/**
 * The onboarding contract over real HTTP on the local server: every route, every role, the
 * territory isolation (44 cannot see 85), and the refusals as problem+json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, routeKey, type RouteDef } from '../../functions/routes.ts';
import { roles, type Role } from '../../functions/shared/roles.ts';
import { demoClients, demoEntrepreneurs, demoEtds, demoPartners } from '../../infra/local/demo-data.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';

let server: TestServer;
const tokens = {} as Record<'operator' | 'manager44' | 'manager85' | 'partner', string>;
const ids = {} as {
  es44: string;
  es85: string;
  client44: string;
  client85: string;
  partner44: string;
  partner85: string;
  esOther44: string;
};

interface Answer {
  status: number;
  type: string | null;
  body: any;
}

async function api(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(server.url + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
}

const expectProblem = (answer: Answer, status: number) => {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.type).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String) });
};

async function created(method: string, path: string, token: string, body: unknown): Promise<any> {
  const answer = await api(method, path, token, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

beforeAll(async () => {
  server = await startLocalTestServer();
  tokens.operator = await server.token('operator');
  tokens.manager44 = await server.token('manager', '44');
  tokens.manager85 = await server.token('manager', '85');
  for (const etd of demoEtds) await created('POST', '/etds', tokens.operator, etd);

  const entrepreneur = async (etd: string, email: string) => {
    const e = await created('POST', '/entrepreneurs', tokens.operator, { ...demoEntrepreneurs[0], etd, email });
    for (const to of ['validated', 'active'])
      expect((await api('POST', `/entrepreneurs/${e.id}/transitions`, tokens.operator, { to })).status).toBe(200);
    return e.id as string;
  };
  ids.es44 = await entrepreneur('44', 'a44@example.org');
  ids.esOther44 = await entrepreneur('44', 'b44@example.org');
  ids.es85 = await entrepreneur('85', 'a85@example.org');
  ids.client44 = (await created('POST', '/clients', tokens.manager44, { ...demoClients[0].body, entrepreneurId: ids.es44 })).id;
  ids.client85 = (await created('POST', '/clients', tokens.manager85, { ...demoClients[0].body, etd: '85', entrepreneurId: ids.es85 })).id;
  ids.partner44 = (await created('POST', '/partners', tokens.manager44, demoPartners[1])).id;
  ids.partner85 = (await created('POST', '/partners', tokens.operator, { ...demoPartners[0], departments: ['85'] })).id;
  tokens.partner = await server.token('partner', undefined, ids.partner44);
});

afterAll(async () => {
  await server?.stop();
});

describe('every route, every role (from the route table)', () => {
  const concrete = (route: RouteDef) =>
    route.path
      .replace('{code}', '44')
      .replace(
        '{id}',
        route.path.startsWith('/clients')
          ? 'cli_00000000000000000000000000'
          : route.path.startsWith('/partners')
            ? 'par_00000000000000000000000000'
            : 'ent_00000000000000000000000000',
      );
  const secured = (routes as readonly RouteDef[]).filter((r) => r.auth !== 'public');

  it.each(secured.map((r) => [routeKey(r), r] as const))(
    '%s: 401 without a token, 403 for the roles it does not allow',
    async (_, route) => {
      const path = concrete(route);
      const body = route.method === 'GET' ? undefined : {};
      expectProblem(await api(route.method, path, undefined, body), 401);
      if (route.auth === 'public') return;
      for (const role of roles as readonly Role[]) {
        const token = await server.token(role);
        const answer = await api(route.method, path, token, body);
        if (route.auth.roles.includes(role)) {
          expect(answer.status, `${role} on ${routeKey(route)}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
          expect([401, 403], `${role} on ${routeKey(route)}`).not.toContain(answer.status);
        } else expectProblem(answer, 403);
      }
    },
  );

  it.each((routes as readonly RouteDef[]).filter((r) => r.auth === 'public').map((r) => [routeKey(r)] as const))(
    '%s answers without a token',
    async (key) => {
      const [method, template] = key.split(' ') as [string, string];
      const path = template.replace('{token}', 'A'.repeat(43)); // a well-formed link that leads nowhere
      if (template === '/webhooks/stripe') {
        // Anyone may call it, but nothing unsigned gets through.
        const response = await fetch(server.url + path, {
          method,
          headers: { 'content-type': 'application/json' },
          body: '{"id":"evt_x"}',
        });
        expect(response.status).toBe(400);
        return;
      }
      const form =
        template.startsWith('/r/') && template.endsWith('/accept')
          ? 'plannedStart=2027-01-11'
          : template.endsWith('/accept')
            ? `signerName=Jean+Moreau&pdfSha256=${'0'.repeat(64)}`
            : template.endsWith('/withdraw')
              ? 'signerName=Jean+Moreau'
              : template.endsWith('/checkout')
                ? ''
                : 'reason=';
      const response = await fetch(server.url + path, {
        method,
        ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form } : {}),
      });
      expect(response.status).toBe(template.startsWith('/q/') || template.startsWith('/pay/') || template.startsWith('/r/') ? 404 : 200);
    },
  );
});

describe('territory isolation: a token of ETD 44 cannot see ETD 85', () => {
  it.each([
    ['GET', '/etds/85'],
    ['GET', () => `/entrepreneurs/${ids.es85}`],
    ['GET', () => `/entrepreneurs/${ids.es85}/history`],
    ['GET', () => `/clients/${ids.client85}`],
    ['GET', () => `/partners/${ids.partner85}`],
    ['GET', '/entrepreneurs?etd=85'],
    ['GET', '/clients?etd=85'],
    ['GET', '/partners?department=85'],
  ] as const)('%s %s → 404', async (method, path) => {
    const answer = await api(method, typeof path === 'function' ? path() : path, tokens.manager44);
    expectProblem(answer, 404);
  });

  it('answers the same for another territory’s object and a missing one', async () => {
    const foreign = await api('GET', `/entrepreneurs/${ids.es85}`, tokens.manager44);
    const missing = await api('GET', '/entrepreneurs/ent_00000000000000000000000000', tokens.manager44);
    expect(foreign.status).toBe(missing.status);
    expect(Object.keys(foreign.body).sort()).toEqual(Object.keys(missing.body).sort());
  });

  it('refuses writes into another territory, writing nothing', async () => {
    const before = (await api('GET', '/entrepreneurs?etd=85&limit=100', tokens.operator)).body.items.length;
    const answer = await api('POST', '/entrepreneurs', tokens.manager44, { ...demoEntrepreneurs[0], etd: '85', email: 'x85@example.org' });
    expectProblem(answer, 400);
    expect(answer.body.errors).toEqual([{ path: 'etd', message: 'no territory with this code' }]);
    expectProblem(await api('POST', `/entrepreneurs/${ids.es85}/transitions`, tokens.manager44, { to: 'suspended' }), 404);
    expectProblem(await api('PATCH', `/entrepreneurs/${ids.es85}`, tokens.manager44, { version: 3, hourlyRateCents: 1 }), 404);
    expect((await api('GET', '/entrepreneurs?etd=85&limit=100', tokens.operator)).body.items.length).toBe(before);
  });

  it('lists only the caller’s territory', async () => {
    const etds = await api('GET', '/etds', tokens.manager44);
    expect(etds.body.items.map((e: { code: string }) => e.code)).toEqual(['44']);
    const list = await api('GET', '/entrepreneurs', tokens.manager44);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((e: { etd: string }) => e.etd === '44')).toBe(true);
    const partners = await api('GET', '/partners', tokens.manager85);
    expect(partners.body.items.map((p: { id: string }) => p.id)).toEqual([ids.partner85]);
  });
});

describe('each role at work', () => {
  it('operator opens a territory once', async () => {
    const answer = await api('POST', '/etds', tokens.operator, demoEtds[0]);
    expectProblem(answer, 409);
    expect(answer.body.detail).toMatch(/44 already exists/);
  });

  it('entrepreneur reads and edits itself, not its state nor others', async () => {
    const self = await server.token('entrepreneur', '44', ids.es44);
    const me = await api('GET', `/entrepreneurs/${ids.es44}`, self);
    expect(me.status).toBe(200);
    expectProblem(await api('GET', `/entrepreneurs/${ids.esOther44}`, self), 404);
    expectProblem(await api('GET', '/entrepreneurs', self), 403);
    const edited = await api('PATCH', `/entrepreneurs/${ids.es44}`, self, { version: me.body.version, hourlyRateCents: 2200 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ hourlyRateCents: 2200, version: me.body.version + 1 });
    expectProblem(await api('PATCH', `/entrepreneurs/${ids.es44}`, self, { version: edited.body.version, status: 'designer' }), 403);
    const state = await api('PATCH', `/entrepreneurs/${ids.es44}`, self, { version: edited.body.version, state: 'left' });
    expectProblem(state, 400);
    expect(state.body.errors[0].message).toMatch(/unknown field\(s\): state/);
    expectProblem(await api('POST', `/entrepreneurs/${ids.es44}/transitions`, self, { to: 'left' }), 403);
    expectProblem(await api('PATCH', `/entrepreneurs/${ids.es44}`, self, { version: me.body.version, hourlyRateCents: 2300 }), 412);
  });

  it('entrepreneur registers and lists its own clients', async () => {
    const self = await server.token('entrepreneur', '44', ids.esOther44);
    const client = await created('POST', '/clients', self, demoClients[1].body);
    expect(client.entrepreneurId).toBe(ids.esOther44);
    const mine = await api('GET', '/clients', self);
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([client.id]);
    expectProblem(await api('GET', `/clients/${ids.client44}`, self), 404);
  });

  it('manager moves an entrepreneur along its lifecycle; a wrong move names the allowed ones', async () => {
    const e = await created('POST', '/entrepreneurs', tokens.manager44, { ...demoEntrepreneurs[2], email: 'lifecycle@example.org' });
    expect(e.state).toBe('applied');
    const wrong = await api('POST', `/entrepreneurs/${e.id}/transitions`, tokens.manager44, { to: 'active' });
    expectProblem(wrong, 409);
    expect(wrong.body.allowed).toEqual(['validated']);
    expect(wrong.body.detail).toMatch(/allowed from applied: validated/);
    const history = await api('GET', `/entrepreneurs/${e.id}/history`, tokens.manager44);
    expect(history.body.items).toHaveLength(1);
  });

  it('partner reads its own company through /partners/me only', async () => {
    const me = await api('GET', '/partners/me', tokens.partner);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: ids.partner44, legalName: 'Isolation Bocage Rénovation' });
    expectProblem(await api('GET', `/partners/${ids.partner44}`, tokens.partner), 403);
    expectProblem(await api('GET', '/partners/me', await server.token('partner', undefined, 'par_unknown')), 404);
  });

  it('anyone reads the public directory, public fields only', async () => {
    const answer = await api('GET', '/public/entrepreneurs?etd=44');
    expect(answer.status).toBe(200);
    expect(answer.body.items.length).toBeGreaterThanOrEqual(2);
    for (const e of answer.body.items) {
      expect(Object.keys(e).sort()).toEqual([
        'cae',
        'competences',
        'displayName',
        'etd',
        'headline',
        'hourlyRateCents',
        'id',
        'missions',
        'poles',
      ]);
    }
    expectProblem(await api('GET', '/public/entrepreneurs?competence=gardening'), 400);
  });
});

describe('bad input over HTTP: 4xx problem+json naming the field, nothing written', () => {
  it.each([
    ['malformed JSON', '{"etd": "44",', undefined, 400],
    ['wrong content type', JSON.stringify(demoEntrepreneurs[0]), { 'content-type': 'text/plain' }, 415],
    ['oversized body', JSON.stringify({ ...demoEntrepreneurs[0], firstName: 'x'.repeat(100_000) }), undefined, 413],
  ])('%s → %i', async (_, body, headers, status) => {
    expectProblem(await api('POST', '/entrepreneurs', tokens.manager44, body, headers ?? {}), status);
  });

  it.each([
    ['bad SIRET (Luhn)', '/partners', { ...demoPartners[0], siret: '51234567900026' }, 'siret'],
    [
      'bad postal code',
      '/clients',
      {
        ...demoClients[0].body,
        entrepreneurId: 'ent_00000000000000000000000000',
        address: { line1: 'x', postalCode: '4400', city: 'Nantes' },
      },
      'address.postalCode',
    ],
    ['bad e-mail', '/entrepreneurs', { ...demoEntrepreneurs[0], email: 'nope' }, 'email'],
    ['wrong type', '/entrepreneurs', { ...demoEntrepreneurs[0], birthYear: '1967' }, 'birthYear'],
    ['missing field', '/entrepreneurs', (({ phone: _p, ...rest }) => rest)(demoEntrepreneurs[0]), 'phone'],
    ['over-long string', '/entrepreneurs', { ...demoEntrepreneurs[0], lastName: 'x'.repeat(61) }, 'lastName'],
    ['unknown field', '/entrepreneurs', { ...demoEntrepreneurs[0], nir: '1670544109123' }, ''],
  ])('%s names %s', async (_, path, body, field) => {
    const answer = await api('POST', path, tokens.manager44, body);
    expectProblem(answer, 400);
    expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  it('refuses a duplicate e-mail in the same territory (409) but not in another', async () => {
    expectProblem(
      await api('POST', '/entrepreneurs', tokens.operator, { ...demoEntrepreneurs[0], etd: '44', email: 'A44@example.org' }),
      409,
    );
    await created('POST', '/entrepreneurs', tokens.operator, { ...demoEntrepreneurs[0], etd: '85', email: 'a44@example.org' });
  });

  it('refuses a cursor reused with another filter (400, not a DynamoDB error)', async () => {
    const page = await api('GET', '/entrepreneurs?state=active&limit=1', tokens.manager44);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const reused = await api('GET', `/entrepreneurs?state=applied&limit=1&cursor=${page.body.nextCursor}`, tokens.manager44);
    expectProblem(reused, 400);
    expect(reused.body.errors[0].path).toBe('query.cursor');
    const forged = Buffer.from(JSON.stringify({ pk: 'ENT#x', sk: '#ENT', gsi2pk: 'PUBLIC#ENT', gsi2sk: '44#x' })).toString('base64url');
    expectProblem(await api('GET', `/public/entrepreneurs?etd=85&cursor=${forged}`), 400);
  });

  it('refuses a query over the limit', async () => {
    const answer = await api('GET', '/entrepreneurs?limit=101', tokens.manager44);
    expectProblem(answer, 400);
    expect(answer.body.errors[0].path).toBe('query.limit');
  });
});

describe('documents served by the API', () => {
  it('serves the OpenAPI 3.1 document listing every route', async () => {
    const answer = await api('GET', '/openapi.json');
    expect(answer.body.openapi).toBe('3.1.0');
    for (const route of routes) expect(answer.body.paths[route.path][route.method.toLowerCase()]).toBeDefined();
  });

  it('serves it gzip-compressed to a client that takes gzip, plain to one that does not', async () => {
    const compressed = await fetch(`${server.url}/openapi.json`, { headers: { 'accept-encoding': 'gzip' } });
    expect(compressed.headers.get('content-encoding')).toBe('gzip');
    const plain = await fetch(`${server.url}/openapi.json`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    // fetch inflates the first: both are the same document.
    expect(await compressed.json()).toEqual(await plain.json());
  });
});
