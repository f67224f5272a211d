/**
 * R4 authorization: generated from the route table — every route with a path parameter (the
 * client links /q/{token} and /pay/{token} aside: they carry no role), every role, and the object
 * of another tenant: another territory (a manager of 44 on the objects of 85) or another
 * entrepreneur (Sophie Garnier on Paul Rousseau's objects and on Martine Leroux's, of her own
 * territory). Expected: 404 for a role the route admits (the object's existence is not revealed),
 * 403 for a role it does not admit, 401 without a token — 100 % refused; and no body carries
 * anything of the other tenant (ids, names, e-mails, numbers) beyond the id the caller sent.
 */
import { expect } from 'vitest';
import { routes, type RouteDef } from '../../functions/routes.ts';
import { report } from './support.ts';
import type { Tenant, World } from './world.ts';

interface Target {
  readonly etd: string;
  readonly entrepreneurId: string;
  readonly clientId: string;
  readonly partnerId: string;
  readonly quoteId: string;
  readonly invoiceId: string;
  readonly creditNote: string;
  readonly expenseId: string;
  readonly referralId: string;
  readonly statementId: string;
}

/** A month for the payroll routes that name one, and the dashboard's range: valid, so only the object decides. */
const PERIOD = '2026-10';
const queries: Record<string, string> = {
  'GET /entrepreneurs/{id}/dashboard': '?from=2026-01&to=2026-10',
};

const bodies: Record<string, unknown> = {
  'PATCH /entrepreneurs/{id}': { version: 1, phone: '06 11 22 33 44' },
  'POST /entrepreneurs/{id}/transitions': { to: 'suspended', reason: 'Contrôle' },
  'PATCH /quotes/{id}': { version: 1, title: 'Autre titre' },
  'PATCH /invoices/{id}': { version: 1, title: 'Autre titre' },
  'POST /invoices/{id}/credit-notes': { reason: 'Erreur de facturation' },
  'POST /invoices/{id}/payments': {
    method: 'cesu-prefunded',
    amountCents: 1_000,
    receivedOn: '2026-11-02',
    reference: 'CESU 0000001 à 0000002',
  },
  'POST /entrepreneurs/{id}/expenses': {
    amountCents: 1_000,
    vatCents: 0,
    date: '2026-10-01',
    category: 'supplies',
    receipt: { contentType: 'image/png', bytes: 512 },
  },
  'PUT /entrepreneurs/{id}/salaries/{period}': { grossCents: 180_000 },
  'PUT /entrepreneurs/{id}/withholding-rate': { rateBasisPoints: 750, from: '2026-12', source: 'dgfip' },
  'PUT /etds/{code}/caes/{cae}/payroll-settings': { from: '2027-01', contributionBasisPoints: 1_100, basis: 'cashed', overdraftCents: 0 },
  'PATCH /etds/{code}/caes/{cae}': {
    version: 1,
    mediator: { name: 'Médiateur de la consommation', website: 'https://mediateur.example.org' },
  },
  'POST /expenses/{id}/refuse': { reason: 'Justificatif illisible' },
  'POST /referrals/{id}/open': {
    title: 'Isolation',
    description: 'Combles',
    trades: ['insulation'],
    energyRenovation: false,
    estimatedAmountCents: 100_000,
    startDate: '2099-01-04',
    endDate: '2099-01-08',
  },
  'POST /referrals/{id}/transitions': { to: 'in_progress' },
  'POST /etds/{code}/redevance/rates': { from: '2099-01-01', conceptualBasisPoints: 150, operationalBasisPoints: 250, basis: 'invoiced' },
  'POST /etds/{code}/redevance/statements': { period: '2026-10' },
  'POST /referrals/{id}/attachments': { name: 'plan.pdf', contentType: 'application/pdf', bytes: 1_000 },
  'PUT /clients/{id}/cesu-employer': {
    coordinatorId: 'ent_00000000000000000000000000',
    cesuNumber: 'Z4400R4TEST',
    birthYear: 1950,
    exemption: { kind: 'none' },
    alsaceMoselle: false,
  },
  'POST /clients/{id}/cesu-workers': {
    firstName: 'Aide',
    lastName: 'Domicile',
    startDate: '2025-01-06',
    netHourlyCents: 1_200,
    paidLeave: 'monthly',
  },
  'PUT /clients/{id}/cesu-declarations/{period}': { workers: [{ workerId: 'wrk_00000000000000000000000000', hours: 10 }] },
  'POST /clients/{id}/cesu-declarations/{period}/submit': { reference: 'CESU-R4-0001' },
  'POST /clients/{id}/cesu-declarations/{period}/paid': { paidOn: '2026-11-10' },
};

/** The path of `route` on the objects of `t`; undefined when the route has no object of that kind. */
function pathFor(route: RouteDef, t: Target): string | undefined {
  const kind = route.path.split('/')[1];
  const id = {
    etds: t.etd,
    entrepreneurs: t.entrepreneurId,
    clients: t.clientId,
    partners: t.partnerId,
    quotes: t.quoteId,
    invoices: t.invoiceId,
    expenses: t.expenseId,
    referrals: t.referralId,
    redevance: t.statementId,
  }[kind as 'etds'];
  if (!id) return undefined;
  const path = route.path
    .replace(/\{(code|id)\}/, id)
    .replace('{n}', t.creditNote)
    .replace('{period}', PERIOD)
    .replace('{cae}', 'SAMAD')
    .replace('{year}', '2026');
  return path + (queries[`${route.method} ${route.path}`] ?? '');
}

export async function runR4(world: World): Promise<void> {
  const started = performance.now();
  const { a, b, sibling } = world;
  const withPathId = (routes as readonly RouteDef[]).filter((r) => /\{(?!token)\w+\}/.test(r.path) && r.auth !== 'public');
  // Callers of tenant A, and the objects they must not reach.
  const siblingTarget: Target = {
    ...b,
    etd: '',
    partnerId: '',
    expenseId: '',
    referralId: '',
    statementId: '',
    entrepreneurId: sibling.entrepreneurId,
    clientId: sibling.clientId,
  };
  const callers: {
    name: string;
    role: string;
    token: string | undefined;
    targets: { label: string; target: Target; secrets: readonly string[] }[];
  }[] = [
    { name: 'manager of 44', role: 'manager', token: a.manager, targets: [{ label: 'territory 85', target: b, secrets: b.secrets }] },
    {
      name: 'entrepreneur Garnier (44)',
      role: 'entrepreneur',
      token: a.entrepreneur,
      targets: [
        { label: 'territory 85', target: b, secrets: b.secrets },
        { label: 'Leroux (44)', target: siblingTarget, secrets: sibling.secrets },
      ],
    },
    { name: 'partner of 44', role: 'partner', token: a.partner, targets: [{ label: 'territory 85', target: b, secrets: b.secrets }] },
    { name: 'operator', role: 'operator', token: world.operator, targets: [] },
    { name: 'no token', role: 'none', token: undefined, targets: [{ label: 'territory 85', target: b, secrets: b.secrets }] },
  ];
  // An operator sees every territory by design: the matrix checks only the routes it is not admitted to.
  callers.find((c) => c.role === 'operator')!.targets.push({ label: 'territory 85', target: b, secrets: b.secrets });

  const rows = new Map<string, { cells: number; refused: number; expected: number; leaks: number }>();
  const findings: string[] = [];
  let cells = 0;
  for (const route of withPathId) {
    const key = `${route.method} ${route.path}`;
    const admits = (role: string) => route.auth !== 'public' && route.auth.roles.includes(role as never);
    for (const caller of callers) {
      if (caller.role === 'operator' && admits('operator')) continue;
      for (const { label, target, secrets } of caller.targets) {
        const path = pathFor(route, target);
        if (!path) continue;
        const expected = caller.role === 'none' ? 401 : admits(caller.role) ? 404 : 403;
        const body = bodies[key];
        const answer = await world.api(caller.token, route.method, path, route.method === 'GET' ? undefined : (body ?? {}));
        cells++;
        const row = rows.get(`${caller.name} → ${label}`) ?? { cells: 0, refused: 0, expected: 0, leaks: 0 };
        rows.set(`${caller.name} → ${label}`, row);
        row.cells++;
        if (answer.status >= 400) row.refused++;
        if (answer.status === expected) row.expected++;
        else findings.push(`${caller.name} ${key} on ${label}: ${answer.status} (expected ${expected}) ${answer.text.slice(0, 200)}`);
        const sent = path.split(/[/?&=]/).filter(Boolean);
        const leaked = secrets.filter((s) => s && !sent.includes(s) && answer.text.includes(s));
        if (leaked.length) {
          row.leaks++;
          findings.push(`${caller.name} ${key} on ${label}: the body carries ${leaked.join(', ')}`);
        }
      }
    }
  }
  const total = [...rows.values()].reduce(
    (s, r) => ({ cells: s.cells + r.cells, refused: s.refused + r.refused, expected: s.expected + r.expected, leaks: s.leaks + r.leaks }),
    { cells: 0, refused: 0, expected: 0, leaks: 0 },
  );
  report({
    id: 'R4',
    title: 'authorization matrix: role × route × object of another tenant',
    size: `${cells} requests: ${withPathId.length} routes with a path id × ${callers.length} callers × the objects of another territory / entrepreneur`,
    head: ['caller → objects of', 'requests', 'refused', 'with the expected status', 'bodies with data of the other tenant'],
    rows: [
      ...[...rows].map(([k, r]) => [k, `${r.cells}`, `${r.refused}`, `${r.expected}`, `${r.leaks}`]),
      [
        '**total**',
        `${total.cells}`,
        `${total.refused} (${((100 * total.refused) / Math.max(1, total.cells)).toFixed(1)} %)`,
        `${total.expected}`,
        `${total.leaks}`,
      ],
    ],
    notes: [
      'Expected: 404 when the route admits the role (the object is not revealed), 403 when it does not, 401 without a token. The operator sees every territory by design: only the routes it is not admitted to are in its row.',
      `Findings: ${findings.length}.`,
      ...findings.slice(0, 10).map((f) => `finding: ${f}`),
    ],
    seconds: (performance.now() - started) / 1000,
  });
  expect(findings).toEqual([]);
  expect(total.refused).toBe(total.cells);
}

export type { Tenant };
