/**
 * R3 fuzz: requests over every route of functions/routes.ts and every role, generated with
 * fast-check from the routes' own contracts (the zod schemas of the handlers, through their JSON
 * Schema): valid values, boundary values, and hostile ones (huge numbers, floats for integers,
 * NUL and control characters, deep nesting, 10 MB bodies, wrong content types, broken JSON,
 * unknown fields, garbage path parameters and query strings). Checked on every answer: no 5xx;
 * every 4xx a problem+json (the client pages answer French HTML); a refusal of a body field names
 * a field (`errors[].path`) related to the field changed.
 */
import fc from 'fast-check';
import * as z from 'zod';
import { expect } from 'vitest';
import { routes, type RouteDef } from '../../functions/routes.ts';
import { contractFor } from '../../functions/meta/openapi.ts';
import { built, type SchemaArg } from '../../functions/shared/contract.ts';
import { demoEntrepreneurs, demoPartners } from '../../infra/local/demo-data.ts';
import { pool, report, size } from './support.ts';
import type { World } from './world.ts';

type Json = Record<string, any>;

const MB10 = 10 * 1024 * 1024;

// ---- JSON Schema (from zod) → fast-check ------------------------------------------------------

function arbitraryOf(schema: Json | undefined, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant('x');
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  if (schema.oneOf || schema.anyOf)
    return fc.oneof(...((schema.oneOf ?? schema.anyOf) as Json[]).map((s) => arbitraryOf(s, pools, depth + 1)));
  switch (schema.type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const required = new Set<string>(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, s] of Object.entries(props)) record[name] = fieldValue(name, s, pools, depth);
      const requiredKeys = Object.keys(props).filter((k) => required.has(k));
      return fc.record(record, { requiredKeys });
    }
    case 'array': {
      const min = schema.minItems ?? 0;
      return fc.array(arbitraryOf(schema.items, pools, depth + 1), {
        minLength: min,
        maxLength: Math.min(schema.maxItems ?? 4, Math.max(min, 4)),
      });
    }
    case 'integer':
    case 'number': {
      const min =
        schema.minimum ??
        (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (schema.type === 'integer' ? 1 : 0.01) : -1000);
      const max = Math.min(schema.maximum ?? 1_000_000, 1e9);
      const whole = fc.integer({ min: Math.ceil(Math.max(min, -1e9)), max: Math.floor(max) });
      const boundary = fc.constantFrom(...[min, max].filter((v) => Number.isFinite(v)));
      return schema.type === 'integer'
        ? fc.oneof(whole, boundary)
        : fc.oneof(whole, boundary, fc.double({ min: Math.max(min, 0.01), max, noNaN: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'string': {
      if (schema.pattern) {
        try {
          return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 1000));
        } catch {
          // fall through
        }
      }
      if (schema.format === 'email') return fc.constantFrom('alice@example.org', 'b.c+d@example.fr');
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 50, 80);
      return fc.oneof(fc.string({ minLength, maxLength }), fc.constantFrom('Rénovation', 'Jean', 'Nantes', '44000', '06 12 34 56 78'));
    }
    default:
      return fc.oneof(fc.string(), fc.integer(), fc.boolean());
  }
}

interface Pools {
  readonly ids: readonly string[];
  readonly etds: readonly string[];
  /** The entrepreneur of the known-good bodies: no write targets it. */
  readonly keep: string;
}

/** Fields that name a record get real ids (of both tenants) most of the time, so that requests go deep. */
function fieldValue(name: string, schema: Json, pools: Pools, depth: number): fc.Arbitrary<unknown> {
  if (/Id$|^id$/.test(name))
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...pools.ids) },
      { weight: 1, arbitrary: arbitraryOf(schema, pools, depth + 1) },
    );
  if (name === 'etd')
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...pools.etds) },
      { weight: 1, arbitrary: arbitraryOf(schema, pools, depth + 1) },
    );
  return arbitraryOf(schema, pools, depth + 1);
}

// ---- Hostile values ----------------------------------------------------------------------------

/** Deep nesting is spliced into the JSON text after stringify (a value that deep would overflow JSON.stringify). */
const DEEP = /"__deep_(\d+)__"/g;
const deepJson = (depth: number) => '{"a":['.repeat(depth) + '1' + ']}'.repeat(depth);
const stringify = (value: unknown) => JSON.stringify(value).replace(DEEP, (_, d: string) => deepJson(Number(d)));

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    1e308,
    -1e308,
    2 ** 53,
    2 ** 53 + 2,
    -1,
    0,
    -0,
    1.5,
    0.30000000000000004,
    1e-300,
    1e20,
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    'ligne\r\nsuivante',
    '\u0007\u001b[31m',
    '\u202eevil',
    '\ud800',
    '💥'.repeat(300),
    'x'.repeat(100_000),
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile value (log4shell lookup), on purpose
    '${jndi:ldap://x/a}',
    '__proto__',
    '1',
    'null',
    'NaN',
    '2026-02-30',
    '9999-99-99',
    null,
    true,
    false,
    [],
    {},
    [null],
    { $ne: null },
    { __proto__x: 1 },
  ),
  fc.constantFrom(5, 50, 500, 5000, 50_000).map((d) => `__deep_${d}__`),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

interface Leaf {
  readonly path: (string | number)[];
}
function leaves(value: unknown, path: (string | number)[] = [], out: Leaf[] = []): Leaf[] {
  out.push({ path });
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  return out;
}
function setAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), replacement);
  return copy;
}

// ---- Requests ----------------------------------------------------------------------------------

type Role = 'none' | 'bad-token' | 'operator' | 'manager44' | 'manager85' | 'entrepreneurA' | 'entrepreneurB' | 'partnerA';
const ROLES: readonly Role[] = ['none', 'bad-token', 'operator', 'manager44', 'manager85', 'entrepreneurA', 'entrepreneurB', 'partnerA'];

interface FuzzRequest {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly role: Role;
  readonly contentType?: string;
  /** The body text, or a size for the 10 MB bodies (built when sent). */
  readonly body?: string | { readonly bytes: number };
  /** The body field changed to a hostile value, when that is what the request tries. */
  readonly mutated?: string;
  readonly kind: string;
}

const garbageSegment = fc.constantFrom(
  '%00',
  '%ZZ',
  '..%2F..%2Fetc%2Fpasswd',
  'a'.repeat(3000),
  '%F0%9F%92%A5',
  '%20',
  "'",
  '%0A',
  '-1',
  '1e999',
  'null',
  'ent_00000000000000000000000000',
  'inv_zzzzzzzzzzzzzzzzzzzzzzzzzz',
  '%C0%AF',
  '%E2%80%AE',
);
const garbageQuery = fc.constantFrom(
  'limit=1e309',
  'limit=-1',
  'limit=abc',
  'limit=0.5',
  'limit=100000000000000000000',
  'cursor=%00',
  'cursor=AAAA',
  'cursor=eyJwayI6eyJTIjoiWCJ9fQ',
  'cursor=' + 'A'.repeat(3000),
  'etd=..',
  'etd=%00',
  'etd=999',
  'state=bogus',
  'a=1&a=2',
  'limit=1&limit=2',
  'unknownParam=1',
  '%ZZ=1',
  'overdue=maybe',
  'trade=%00',
  'department=2A',
  'entrepreneurId=%00',
);
const brokenBody = fc.constantFrom(
  '{',
  '{"a":',
  'null',
  '[]',
  '"texte"',
  '1e999',
  '\u0000',
  'NaN',
  '{"a":1,"a":2}',
  '\ufeff{}',
  '{"__proto__":{"admin":true}}',
  '['.repeat(100_000),
  '{"a":"\\ud800"}',
  '',
);
const wrongContentType = fc.constantFrom(
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/json-patch+json',
  '*/*',
);

function requestArb(route: RouteDef, pools: Pools, example?: unknown): fc.Arbitrary<FuzzRequest> {
  const c = contractFor(route) as { params?: SchemaArg; query?: SchemaArg; body?: SchemaArg; form?: SchemaArg } | undefined;
  const json = (s: SchemaArg | undefined) => (s ? (z.toJSONSchema(built(s), { io: 'input', unrepresentable: 'any' }) as Json) : undefined);
  const paramSchema = json(c?.params);
  const querySchema = json(c?.query);
  const bodySchema = json(c?.body);
  const segments = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  // Writes on an entrepreneur never touch the one whose known-good bodies are sent (it must stay active, in its CAE).
  const ids =
    route.method !== 'GET' && route.path.startsWith('/entrepreneurs/{id}') ? pools.ids.filter((id) => id !== pools.keep) : pools.ids;
  const paramArb = (name: string) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...ids, ...pools.etds).map(encodeURIComponent) },
      { weight: 2, arbitrary: arbitraryOf(paramSchema?.properties?.[name], pools).map((v) => encodeURIComponent(String(v))) },
      { weight: 2, arbitrary: garbageSegment },
    );
  const pathArb = fc.tuple(...segments.map((name) => paramArb(name))).map((values) => {
    let i = 0;
    return route.path.replace(/\{(\w+)\}/g, () => values[i++] ?? 'x');
  });
  const queryArb: fc.Arbitrary<string> = querySchema
    ? fc.oneof(
        {
          weight: 3,
          arbitrary: arbitraryOf(querySchema, pools).map((q) =>
            new URLSearchParams(Object.entries(q as object).map(([k, v]): [string, string] => [k, String(v)])).toString(),
          ),
        },
        { weight: 1, arbitrary: garbageQuery },
      )
    : fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 1, arbitrary: garbageQuery });
  // Mostly a role the route admits (so that requests reach the handler), otherwise any.
  const admitted =
    route.auth === 'public'
      ? (['none'] as Role[])
      : ROLES.filter((r) => (route.auth as { roles: readonly string[] }).roles.some((role) => r.startsWith(role)));
  const roleArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...admitted) }, { weight: 1, arbitrary: fc.constantFrom(...ROLES) });
  const generated = bodySchema ? arbitraryOf(bodySchema, pools) : fc.constant({});
  // A known-good body (when the route has one) half the time: requests then pass validation and go deep.
  const valid = example === undefined ? generated : fc.oneof(generated, fc.constant(example));

  type BodyPart = Pick<FuzzRequest, 'body' | 'contentType' | 'mutated' | 'kind'>;
  const bodyArb: fc.Arbitrary<BodyPart> =
    route.method === 'GET'
      ? fc.constant({ kind: 'no body' })
      : fc.oneof(
          {
            weight: 4,
            arbitrary: valid.map((v) => ({
              body: stringify(v),
              contentType: 'application/json',
              kind: v === example ? 'valid body (example)' : 'generated body',
            })),
          },
          {
            weight: 4,
            arbitrary: fc.tuple(valid, fc.nat(), hostileValue).map(([v, pick, hostile]) => {
              const all = leaves(v).filter((l) => l.path.length > 0);
              if (all.length === 0) return { body: stringify(hostile), contentType: 'application/json', kind: 'hostile body' };
              const target = all[pick % all.length]!;
              return {
                body: stringify(setAt(v, target.path, hostile)),
                contentType: 'application/json',
                mutated: target.path.join('.'),
                kind: v === example ? 'hostile field of a valid body' : 'hostile field',
              };
            }),
          },
          {
            weight: 1,
            arbitrary: fc.tuple(valid, fc.constantFrom('unknownField', 'isAdmin', 'constructor', 'étrange')).map(([v, key]) => ({
              body: stringify(v && typeof v === 'object' && !Array.isArray(v) ? { ...v, [key]: 1 } : v),
              contentType: 'application/json',
              mutated: key,
              kind: 'unknown field',
            })),
          },
          { weight: 1, arbitrary: brokenBody.map((b) => ({ body: b, contentType: 'application/json', kind: 'broken JSON' })) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(valid, wrongContentType)
              .map(([v, ct]) => ({ body: stringify(v), contentType: ct, kind: 'wrong content type' })),
          },
          { weight: 1, arbitrary: valid.map((v) => ({ body: stringify(v), kind: 'no content type' })) },
          {
            weight: 1,
            arbitrary: fc.constantFrom(...['form', 'json']).map((f) => ({
              body: f === 'form' ? 'a=%00&b=' + 'x'.repeat(5000) : '{"a":' + '1'.repeat(400) + '}',
              contentType: f === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
              kind: 'odd body',
            })),
          },
        );
  return fc.tuple(pathArb, queryArb, roleArb, bodyArb).map(([path, query, role, body]) => ({
    route: `${route.method} ${route.path}`,
    method: route.method,
    path: query ? `${path}?${query}` : path,
    role,
    ...body,
  }));
}

// ---- Run -----------------------------------------------------------------------------------------

export async function runR3(world: World): Promise<void> {
  const started = performance.now();
  const total = size(10_000, 1_000);
  const bigBodies = size(20, 3);
  {
    const { a, b, sibling } = world;
    const tokens: Record<Role, string | undefined> = {
      none: undefined,
      'bad-token': 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      operator: world.operator,
      manager44: a.manager,
      manager85: b.manager,
      entrepreneurA: a.entrepreneur,
      entrepreneurB: b.entrepreneur,
      partnerA: a.partner,
    };
    const pools: Pools = {
      ids: [
        a.entrepreneurId,
        a.clientId,
        a.quoteId,
        a.invoiceId,
        a.partnerId,
        b.entrepreneurId,
        b.clientId,
        b.quoteId,
        b.invoiceId,
        b.partnerId,
        sibling.entrepreneurId,
        sibling.clientId,
      ],
      etds: ['44', '85', '2A', '974', '00'],
      keep: a.entrepreneurId,
    };
    const examples: Record<string, unknown> = {
      'POST /clients': {
        etd: '44',
        kind: 'individual',
        entrepreneurId: a.entrepreneurId,
        firstName: 'Anne',
        lastName: 'Fuzz',
        email: 'anne.fuzz@example.org',
        address: { line1: '3 rue du Test', postalCode: '44000', city: 'Nantes' },
      },
      'POST /quotes': {
        etd: '44',
        cae: 'MSG',
        entrepreneurId: a.entrepreneurId,
        clientId: a.clientId,
        title: 'Isolation',
        housingOver2Years: true,
        worksStartWithinDays: 30,
        depositPercent: 30,
        partnerId: a.partnerId,
        siteAddress: { line1: '5 rue du Chantier', postalCode: '44100', city: 'Nantes' },
        lines: [{ description: 'Isolation des combles', kind: 'labour', quantity: 2, unit: 'h', unitPriceCents: 4_000, vatRate: '10' }],
      },
      'POST /invoices': {
        etd: '44',
        cae: 'MSG',
        entrepreneurId: a.entrepreneurId,
        clientId: a.clientId,
        kind: 'standard',
        title: 'Peinture',
        dueDays: 30,
        lines: [{ description: 'Peinture', kind: 'labour', quantity: 3, unit: 'h', unitPriceCents: 3_000, vatRate: '20' }],
      },
      'PATCH /quotes/{id}': { version: 1, title: 'Autre titre' },
      'PATCH /invoices/{id}': { version: 1, title: 'Autre titre' },
      'PATCH /entrepreneurs/{id}': { version: 1, phone: '06 11 22 33 44' },
      // Active to active: refused (409) after validation, so the world's entrepreneurs stay active.
      'POST /entrepreneurs/{id}/transitions': { to: 'active', reason: 'Contrôle' },
      'POST /invoices/{id}/credit-notes': { lines: [{ index: 0, quantity: 1 }], reason: 'Erreur' },
      'POST /entrepreneurs': { ...demoEntrepreneurs[0], email: 'nouvelle.entrepreneuse@example.org' },
      'POST /partners': { ...demoPartners[1], siret: '52345678800018' },
      'POST /referrals': {
        entrepreneurId: a.entrepreneurId,
        clientId: a.clientId,
        site: { line1: '5 rue du Chantier', postalCode: '44100', city: 'Nantes' },
        title: 'Isolation',
        description: 'Isolation des combles',
        trades: ['insulation'],
        energyRenovation: false,
        estimatedAmountCents: 500_000,
        startDate: '2099-01-04',
        endDate: '2099-01-08',
      },
    };
    const all = routes as readonly RouteDef[];
    const perRoute = Math.ceil((total - bigBodies) / all.length);
    const requests: FuzzRequest[] = [];
    all.forEach((route, i) =>
      requests.push(
        ...fc.sample(requestArb(route, pools, examples[`${route.method} ${route.path}`]), { numRuns: perRoute, seed: 0x5eed3 + i }),
      ),
    );
    const posts = all.filter((r) => r.method !== 'GET');
    for (let i = 0; i < bigBodies; i++) {
      const r = posts[i % posts.length]!;
      requests.push({
        route: `${r.method} ${r.path}`,
        method: r.method,
        path: r.path.replace(/\{\w+\}/g, a.quoteId),
        role: 'manager44',
        contentType: 'application/json',
        body: { bytes: MB10 },
        kind: '10 MB body',
      });
    }

    const byStatus = new Map<string, number>();
    const byKind = new Map<string, Map<string, number>>();
    const failures: string[] = [];
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    const describe = (r: FuzzRequest) =>
      `${r.role} ${r.method} ${r.path.slice(0, 160)} [${r.kind}${r.mutated ? ` ${r.mutated}` : ''}] ${typeof r.body === 'string' ? r.body.slice(0, 160) : r.body ? `${r.body.bytes} bytes` : ''}`;
    const pages = new Set(
      all
        .filter((r) => r.path.startsWith('/q/') || r.path.startsWith('/pay/') || r.path.startsWith('/r/'))
        .map((r) => `${r.method} ${r.path}`),
    );

    await pool(requests, 6, async (r) => {
      const token = tokens[r.role];
      const body = typeof r.body === 'string' ? r.body : r.body ? `{"title":"${'x'.repeat(r.body.bytes)}"}` : undefined;
      let status: string;
      let contentType = '';
      let text = '';
      try {
        const response = await fetch(world.server.url + r.path, {
          method: r.method,
          redirect: 'manual',
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(r.contentType ? { 'content-type': r.contentType } : {}) },
          ...(body !== undefined ? { body } : {}),
        });
        text = await response.text();
        status = String(response.status);
        contentType = response.headers.get('content-type') ?? '';
      } catch (error) {
        status = `no answer (${((error as Error).cause as { code?: string })?.code ?? (error as Error).message})`;
      }
      bump(byStatus, status);
      const kinds = byKind.get(r.kind) ?? new Map<string, number>();
      byKind.set(r.kind, kinds);
      bump(kinds, status[0] === 'n' ? 'other' : `${status[0]}xx`);
      const code = Number(status);
      if (!Number.isInteger(code)) {
        // The server may close the connection of a 10 MB upload once it has answered 413.
        if (r.kind !== '10 MB body') failures.push(`${status}: ${describe(r)}`);
        return;
      }
      if (code >= 500) return void failures.push(`${code}: ${describe(r)} → ${text.slice(0, 200)}`);
      if (code < 400) return;
      if (pages.has(r.route) && contentType.startsWith('text/html')) return;
      if (contentType !== 'application/problem+json')
        return void failures.push(`${code} not problem+json (${contentType}): ${describe(r)}`);
      let problem: { status?: number; type?: string; errors?: { path?: unknown; message?: unknown }[] };
      try {
        problem = JSON.parse(text);
      } catch {
        return void failures.push(`${code} problem+json that is not JSON: ${describe(r)}`);
      }
      if (problem.status !== code) return void failures.push(`${code} problem with status ${problem.status}: ${describe(r)}`);
      if (problem.type?.endsWith('/validation')) {
        const errors = problem.errors ?? [];
        if (errors.length === 0 || errors.some((e) => typeof e.path !== 'string' || typeof e.message !== 'string'))
          return void failures.push(`${code} validation problem without errors[].path: ${describe(r)} → ${text.slice(0, 200)}`);
        if (r.mutated && code === 400 && r.kind !== 'wrong content type') {
          const m = r.mutated;
          const related = errors.some((e) => {
            const p = String(e.path);
            return (
              p === m ||
              m.startsWith(`${p}.`) ||
              p.startsWith(`${m}.`) ||
              (p === '' && String(e.message).includes(m.split('.').pop()!)) ||
              String(e.message).includes(m.split('.').pop()!)
            );
          });
          // A refusal of another field (or of the whole body) is fine when the changed one is also refused or was valid: only count a refusal that names nothing at all.
          // Elsewhere another generated field may be the one refused: only a refusal naming no field at all counts.
          // A garbage path parameter or query string is refused first, and named (path.… / query.…).
          const inUrl = errors.some((e) => /^(path|query)\./.test(String(e.path)));
          // The known-good bodies are A's: for A's own callers the field changed is the one to name; another
          // caller may be refused first for another field (a territory not its own: `etd`).
          const strict = r.kind === 'hostile field of a valid body' && (r.role === 'manager44' || r.role === 'entrepreneurA');
          const named = related || inUrl || (!strict && errors.some((e) => String(e.path) !== ''));
          if (!named) failures.push(`${code} refusal not naming the field changed: ${describe(r)} → ${text.slice(0, 200)}`);
        }
      }
    });

    const statuses = [...byStatus].sort(([x], [y]) => x.localeCompare(y));
    const kinds = [...byKind].sort(([x], [y]) => x.localeCompare(y));
    const fivexx = statuses.filter(([s]) => s.startsWith('5')).reduce((n, [, c]) => n + c, 0);
    report({
      id: 'R3',
      title: 'fuzzing every route and role from the routes’ contracts',
      size: `${requests.length} requests over ${all.length} routes × ${ROLES.length} roles (incl. no token and a forged one), ${bigBodies} bodies of 10 MB`,
      head: ['status', 'answers'],
      rows: statuses.map(([s, n]) => [s, `${n}`]),
      notes: [
        `By kind of request: ${kinds
          .map(
            ([k, m]) =>
              `${k} (${[...m]
                .sort()
                .map(([s, n]) => `${s} ${n}`)
                .join(', ')})`,
          )
          .join('; ')}.`,
        `5xx: ${fivexx}. Findings (5xx, 4xx not problem+json, validation problems naming no field): ${failures.length}.`,
        ...failures.slice(0, 10).map((f) => `finding: ${f}`),
      ],
      seconds: (performance.now() - started) / 1000,
    });
    expect(requests.length).toBeGreaterThanOrEqual(total);
    expect(failures).toEqual([]);
  }
}
