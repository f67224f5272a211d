/**
 * The world of the HTTP scenarios (R2, R3, R4): the local server in process with its Stripe
 * stand-in (test/support/local-server.ts), the demo directory, and for two tenants — territory 44
 * (Sophie Garnier, MSG) and territory 85 (Paul Rousseau) — a client, a sent quote and an issued
 * invoice made through the API. The server's request log goes to the log capture.
 */
import { addDays, parisDate } from '../../functions/shared/clock.ts';
import { periodOf, previousPeriod } from '../../functions/payroll/domain/period.ts';
import { isValidSiret } from '../../functions/shared/identifiers.ts';
import { demoPartners } from '../../infra/local/demo-data.ts';
import { seedDemo } from '../../infra/local/seed.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';
import { captureLog } from './support.ts';

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly json: any;
}

export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json };
}

export interface Tenant {
  readonly etd: string;
  readonly entrepreneurId: string;
  readonly clientId: string;
  readonly quoteId: string;
  readonly invoiceId: string;
  readonly partnerId: string;
  /** A credit note on the invoice (its number), or a well-formed id of none when credit notes failed. */
  readonly creditNote: string;
  /** An expense declared for the entrepreneur (payroll). */
  readonly expenseId: string;
  /** A referral of works the entrepreneur brought (referrals). */
  readonly referralId: string;
  /** The redevance statement of last month of the territory (network). */
  readonly statementId: string;
  readonly manager: string;
  readonly entrepreneur: string;
  readonly partner: string;
  /** Strings that belong to this tenant only (ids, names, e-mails, numbers): none may show to the other. */
  readonly secrets: readonly string[];
}

export interface World {
  readonly server: TestServer;
  readonly operator: string;
  readonly a: Tenant;
  readonly b: Tenant;
  /** An entrepreneur of territory 44 other than A's (Martine Leroux) and her client. */
  readonly sibling: {
    readonly entrepreneurId: string;
    readonly clientId: string;
    readonly entrepreneur: string;
    readonly secrets: readonly string[];
  };
  api(token: string | undefined, method: string, path: string, body?: unknown): Promise<Answer>;
  stop(): Promise<void>;
}

const lines = [
  { description: 'Peinture de la chambre, deux couches', kind: 'labour', quantity: 10, unit: 'h', unitPriceCents: 3_000, vatRate: '20' },
];

export async function startWorld(label: string): Promise<World> {
  const server = await startLocalTestServer();
  const flushLog = () => {
    captureLog(`${label}-requests`, server.log.join('\n'));
    (server.log as string[]).length = 0;
  };
  const api = async (token: string | undefined, method: string, path: string, body?: unknown) =>
    call(server.url + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const ok = async (answer: Promise<Answer>, status: number): Promise<any> => {
    const a = await answer;
    if (a.status !== status) throw new Error(`world set-up: expected ${status}, got ${a.status}: ${a.text.slice(0, 500)}`);
    return a.json;
  };
  await seedDemo();
  const operator = await server.token('operator');
  const entrepreneurs = (await ok(api(operator, 'GET', '/entrepreneurs?state=active&limit=100&etd=44'), 200)).items.concat(
    (await ok(api(operator, 'GET', '/entrepreneurs?state=active&limit=100&etd=85'), 200)).items,
  ) as any[];
  const find = (last: string) => entrepreneurs.find((e) => e.lastName === last)!;

  const tenant = async (etd: string, last: string, cae: 'MSG' | 'SAMAD', partnerBody: object): Promise<Tenant> => {
    const e = find(last);
    const manager = await server.token('manager', etd);
    const entrepreneur = await server.token('entrepreneur', etd, e.id);
    const client = await ok(
      api(manager, 'POST', '/clients', {
        etd,
        kind: 'individual',
        entrepreneurId: e.id,
        firstName: `Client${etd}`,
        lastName: `Tenant${etd}`,
        email: `client.${etd}@example.org`,
        address: { line1: `${etd} rue du Test`, postalCode: `${etd}000`, city: `Ville${etd}` },
      }),
      201,
    );
    const partner = await ok(api(operator, 'POST', '/partners', partnerBody), 201);
    const quote = await ok(
      api(manager, 'POST', '/quotes', {
        etd,
        cae: 'MSG',
        entrepreneurId: e.id,
        clientId: client.id,
        title: `Travaux ${etd}`,
        // A renovation quote comes from an entrepreneur of that pole; Paul Rousseau (85) works in home services.
        pole: e.poles.includes('renovation') ? 'renovation' : e.poles[0],
        housingOver2Years: true,
        worksStartWithinDays: 30,
        depositPercent: 30,
        partnerId: partner.id,
        siteAddress: { line1: `${etd} rue du Chantier`, postalCode: `${etd}100`, city: `Chantier${etd}` },
        lines: [{ description: 'Isolation', kind: 'labour', quantity: 2, unit: 'h', unitPriceCents: 4_000, vatRate: '10' }],
      }),
      201,
    );
    await ok(api(manager, 'POST', `/quotes/${quote.id}/send`), 200);
    const draft = await ok(
      api(manager, 'POST', '/invoices', {
        etd,
        cae,
        entrepreneurId: e.id,
        clientId: client.id,
        kind: 'standard',
        title: `Facture ${etd}`,
        dueDays: 30,
        lines,
      }),
      201,
    );
    const invoice = await ok(api(manager, 'POST', `/invoices/${draft.id}/issue`), 200);
    const partnerToken = await server.token('partner', undefined, partner.id);
    // A credit note on the invoice, for the routes that name one (its number), when the route answers.
    const credited = await api(manager, 'POST', `/invoices/${invoice.id}/credit-notes`, {
      lines: [{ index: 0, quantity: 1 }],
      reason: 'Une heure facturée en trop',
    });
    const creditNote = credited.status === 201 ? String(credited.json.creditNote.number) : 'crn_00000000000000000000000000';
    const declared = await ok(
      api(manager, 'POST', `/entrepreneurs/${e.id}/expenses`, {
        amountCents: 4_250,
        vatCents: 708,
        date: '2026-10-14',
        category: 'travel',
        receipt: { contentType: 'application/pdf', bytes: 1_024 },
      }),
      201,
    );
    const day = (n: number) => addDays(parisDate(new Date()), n);
    const referral = await ok(
      api(manager, 'POST', '/referrals', {
        entrepreneurId: e.id,
        clientId: client.id,
        site: { line1: `${etd} rue du Chantier`, postalCode: `${etd}100`, city: `Chantier${etd}` },
        title: `Isolation ${etd}`,
        description: 'Isolation des combles',
        trades: ['insulation'],
        energyRenovation: false,
        estimatedAmountCents: 500_000,
        startDate: day(10),
        endDate: day(20),
      }),
      201,
    );
    // The territory's redevance: a rate version from last month and last month's statement.
    const lastMonth = previousPeriod(periodOf(new Date())); // a Paris month, as the service counts them
    await ok(
      api(operator, 'POST', `/etds/${etd}/redevance/rates`, {
        from: `${lastMonth}-01`,
        conceptualBasisPoints: 150,
        operationalBasisPoints: 250,
        basis: 'invoiced',
      }),
      201,
    );
    const statement = await ok(api(operator, 'POST', `/etds/${etd}/redevance/statements`, { period: lastMonth }), 200);
    // The client registered as CESU employer (coordinated by the tenant's entrepreneur), a worker, October 2026 declared.
    await cesuEmployer(manager, client.id, e.id);
    return {
      etd,
      statementId: statement.id,
      entrepreneurId: e.id,
      clientId: client.id,
      quoteId: quote.id,
      referralId: referral.id,
      invoiceId: invoice.id,
      partnerId: partner.id,
      creditNote,
      expenseId: declared.expense.id,
      manager,
      entrepreneur,
      partner: partnerToken,
      secrets: [
        e.id,
        e.lastName,
        e.email,
        client.id,
        client.email,
        client.lastName,
        quote.id,
        invoice.id,
        invoice.number,
        partner.id,
        ...(credited.status === 201 ? [creditNote] : []),
        declared.expense.id,
        referral.id,
        (partnerBody as { legalName: string }).legalName,
      ],
    };
  };
  /** A CESU employer file for a client, with one worker and its declaration of October 2026 (R4's PERIOD). */
  const cesuEmployer = async (token: string, clientId: string, coordinatorId: string) => {
    const employer = { coordinatorId, cesuNumber: 'Z4400R4TEST', birthYear: 1950, exemption: { kind: 'none' }, alsaceMoselle: false };
    await ok(api(token, 'PUT', `/clients/${clientId}/cesu-employer`, employer), 200);
    const worker = await ok(
      api(token, 'POST', `/clients/${clientId}/cesu-workers`, {
        firstName: 'Aide',
        lastName: 'Domicile',
        startDate: '2025-01-06',
        netHourlyCents: 1_200,
        paidLeave: 'plus-10',
      }),
      201,
    );
    await ok(api(token, 'PUT', `/clients/${clientId}/cesu-declarations/2026-10`, { workers: [{ workerId: worker.id, hours: 12 }] }), 200);
  };
  /** A fictitious SIRET: the first number from `from` that passes the SIREN and SIRET check digits. */
  const siret = (from: number) => {
    for (let n = from; ; n++) if (isValidSiret(String(n).padStart(14, '0'))) return String(n).padStart(14, '0');
  };
  const partnerOf = (etd: string, siret: string) => ({
    ...demoPartners[1],
    siret,
    legalName: `Partenaire Exclusif ${etd}`,
    departments: [etd],
    contact: { email: `partenaire.${etd}@example.org`, phone: '02 40 00 00 00' },
  });
  const a = await tenant('44', 'Garnier', 'MSG', partnerOf('44', siret(99900004400100)));
  const b = await tenant('85', 'Rousseau', 'MSG', partnerOf('85', siret(99900008500100)));
  const leroux = find('Leroux');
  const siblingClient = await ok(
    api(a.manager, 'POST', '/clients', {
      etd: '44',
      kind: 'individual',
      entrepreneurId: leroux.id,
      firstName: 'Voisine',
      lastName: 'Sibling',
      email: 'voisine.sibling@example.org',
      address: { line1: '1 rue Voisine', postalCode: '44000', city: 'Nantes' },
    }),
    201,
  );
  await cesuEmployer(a.manager, siblingClient.id, leroux.id);
  flushLog();
  return {
    server,
    operator,
    a,
    b,
    sibling: {
      entrepreneurId: leroux.id,
      clientId: siblingClient.id,
      entrepreneur: await server.token('entrepreneur', '44', leroux.id),
      secrets: [siblingClient.id, 'voisine.sibling@example.org', 'Sibling'],
    },
    api,
    stop: async () => {
      flushLog();
      await server.stop();
    },
  };
}
