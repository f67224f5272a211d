/**
 * The route table: the one list of HTTP routes. The CDK stateless stack creates one function
 * and one API Gateway route per entry; the local server dispatches on the same entries; the
 * OpenAPI document is generated from them. Plain data: handlers import it to find their roles.
 */
import type { Role } from './shared/roles.ts';
import type { TableKey } from './tables.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type Access = 'read' | 'write';

/**
 * What a function may do on a table: `read` (GetItem, Query on the table and its indexes),
 * `write` (also PutItem, UpdateItem, DeleteItem, ConditionCheckItem: the items of its
 * transactions), `describe` (DescribeTable only: the health check), or `Query` on one index only
 * (a public route that must not read anything else). Never Scan.
 */
export type TableAccess = Access | 'describe' | { readonly queryIndex: 'gsi1' | 'gsi2' };

/** Secrets a function may read (Secrets Manager in the cloud, environment variables offline). */
export const secrets = {
  /** HMAC key from which the unguessable client links (quote acceptance, later payment) derive. */
  linkSigningKey: { envVar: 'LINK_SIGNING_KEY', description: 'Signs the links sent to clients', generated: true },
  /** Stripe API key (sk_…), set by the operators. Offline: unset = the embedded Stripe stand-in; a sk_test_… key = real Stripe. */
  stripeSecretKey: { envVar: 'STRIPE_SECRET_KEY', description: 'Stripe API key', generated: false },
  /** Stripe webhook signing secret (whsec_…), set by the operators. */
  stripeWebhookSecret: { envVar: 'STRIPE_WEBHOOK_SECRET', description: 'Verifies the signature of Stripe webhooks', generated: false },
} as const;
export type SecretKey = keyof typeof secrets;

/** What a function may do besides its tables: the stack grants exactly this. */
export interface Capabilities {
  /** Stored documents (PDFs): S3 bucket in the cloud, a folder offline. */
  readonly documents?: Access;
  /** Sends e-mail (SES in the cloud, an outbox folder of .eml files offline). */
  readonly mail?: boolean;
  /** Renders PDFs: gets the layer of PDF assets (fonts, logo) built from layers/pdf-assets. */
  readonly pdf?: boolean;
  readonly secrets?: readonly SecretKey[];
}

export interface RouteDef extends Capabilities {
  readonly method: Method;
  readonly path: string;
  /** Function name (unique): CDK construct id, `npm run invoke` name, bench row. */
  readonly fn: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly handler: string;
  /** Roles allowed to call the route; `public` routes take no token. */
  readonly auth: { readonly roles: readonly Role[] } | 'public';
  /** Tables the function touches and how: the stack grants exactly this. */
  readonly tables: Partial<Record<TableKey, TableAccess>>;
  readonly summary: string;
  readonly tag: string;
}

const onboarding = (name: string) => `functions/onboarding/handlers/${name}.ts`;
const quotes = (name: string) => `functions/quotes/handlers/${name}.ts`;
const invoices = (name: string) => `functions/invoices/handlers/${name}.ts`;
const payments = (name: string) => `functions/payments/handlers/${name}.ts`;
const payroll = (name: string) => `functions/payroll/handlers/${name}.ts`;
/** Payroll: an entrepreneur its own account, staff their territory, operators all (functions/payroll/domain/access.ts). */
const PAYROLL_READERS: readonly Role[] = ['operator', 'manager', 'entrepreneur'];
const AUTHORS: readonly Role[] = ['manager', 'entrepreneur'];
const STAFF: readonly Role[] = ['operator', 'manager'];

export const routes = [
  {
    method: 'GET',
    path: '/health',
    fn: 'Health',
    handler: 'functions/meta/handlers/health.ts',
    auth: 'public',
    tables: { directory: 'describe' },
    summary: 'Liveness: answers ok when the database answers',
    tag: 'meta',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    fn: 'OpenApi',
    handler: 'functions/meta/handlers/openapi.ts',
    auth: 'public',
    tables: {},
    summary: 'This OpenAPI 3.1 document',
    tag: 'meta',
  },

  {
    method: 'POST',
    path: '/etds',
    fn: 'CreateEtd',
    handler: onboarding('create-etd'),
    auth: { roles: ['operator'] },
    tables: { directory: 'write' },
    summary: 'Open a territory (ETD) with its CAE SAMAD and CAE MSG',
    tag: 'etds',
  },
  {
    method: 'GET',
    path: '/etds',
    fn: 'ListEtds',
    handler: onboarding('list-etds'),
    auth: { roles: STAFF },
    tables: { directory: 'read' },
    summary: 'List the territories the caller may see',
    tag: 'etds',
  },
  {
    method: 'GET',
    path: '/etds/{code}',
    fn: 'GetEtd',
    handler: onboarding('get-etd'),
    auth: { roles: STAFF },
    tables: { directory: 'read' },
    summary: 'Read one territory',
    tag: 'etds',
  },

  {
    method: 'POST',
    path: '/entrepreneurs',
    fn: 'CreateEntrepreneur',
    handler: onboarding('create-entrepreneur'),
    auth: { roles: STAFF },
    tables: { directory: 'write' },
    summary: 'Register an entrepreneur (state applied)',
    tag: 'entrepreneurs',
  },
  {
    method: 'GET',
    path: '/entrepreneurs',
    fn: 'ListEntrepreneurs',
    handler: onboarding('list-entrepreneurs'),
    auth: { roles: STAFF },
    tables: { directory: 'read' },
    summary: 'List the entrepreneurs of a territory',
    tag: 'entrepreneurs',
  },
  {
    method: 'GET',
    path: '/entrepreneurs/{id}',
    fn: 'GetEntrepreneur',
    handler: onboarding('get-entrepreneur'),
    auth: { roles: [...STAFF, 'entrepreneur'] },
    tables: { directory: 'read' },
    summary: 'Read one entrepreneur',
    tag: 'entrepreneurs',
  },
  {
    method: 'PATCH',
    path: '/entrepreneurs/{id}',
    fn: 'UpdateEntrepreneur',
    handler: onboarding('update-entrepreneur'),
    auth: { roles: [...STAFF, 'entrepreneur'] },
    tables: { directory: 'write' },
    summary: 'Edit an entrepreneur (current version required)',
    tag: 'entrepreneurs',
  },
  {
    method: 'POST',
    path: '/entrepreneurs/{id}/transitions',
    fn: 'TransitionEntrepreneur',
    handler: onboarding('transition-entrepreneur'),
    auth: { roles: STAFF },
    tables: { directory: 'write' },
    summary: 'Move an entrepreneur along its lifecycle',
    tag: 'entrepreneurs',
  },
  {
    method: 'GET',
    path: '/entrepreneurs/{id}/history',
    fn: 'EntrepreneurHistory',
    handler: onboarding('entrepreneur-history'),
    auth: { roles: STAFF },
    tables: { directory: 'read' },
    summary: 'Who changed what, and when',
    tag: 'entrepreneurs',
  },
  {
    method: 'GET',
    path: '/public/entrepreneurs',
    fn: 'PublicEntrepreneurs',
    handler: onboarding('public-entrepreneurs'),
    auth: 'public',
    tables: { directory: { queryIndex: 'gsi2' } },
    summary: 'Active and visible entrepreneurs, public fields only',
    tag: 'public',
  },

  {
    method: 'POST',
    path: '/clients',
    fn: 'CreateClient',
    handler: onboarding('create-client'),
    auth: { roles: ['manager', 'entrepreneur'] },
    tables: { directory: 'write' },
    summary: 'Register a client',
    tag: 'clients',
  },
  {
    method: 'GET',
    path: '/clients',
    fn: 'ListClients',
    handler: onboarding('list-clients'),
    auth: { roles: ['manager', 'entrepreneur'] },
    tables: { directory: 'read' },
    summary: 'List clients (an entrepreneur sees its own)',
    tag: 'clients',
  },
  {
    method: 'GET',
    path: '/clients/{id}',
    fn: 'GetClient',
    handler: onboarding('get-client'),
    auth: { roles: ['manager', 'entrepreneur'] },
    tables: { directory: 'read' },
    summary: 'Read one client',
    tag: 'clients',
  },

  {
    method: 'POST',
    path: '/partners',
    fn: 'CreatePartner',
    handler: onboarding('create-partner'),
    auth: { roles: STAFF },
    tables: { directory: 'write' },
    summary: 'Register a partner company (PIC)',
    tag: 'partners',
  },
  {
    method: 'GET',
    path: '/partners',
    fn: 'ListPartners',
    handler: onboarding('list-partners'),
    auth: { roles: STAFF },
    tables: { directory: 'read' },
    summary: 'List partners by department and trade',
    tag: 'partners',
  },
  {
    method: 'GET',
    path: '/partners/me',
    fn: 'GetOwnPartner',
    handler: onboarding('get-own-partner'),
    auth: { roles: ['partner'] },
    tables: { directory: 'read' },
    summary: 'The calling partner company',
    tag: 'partners',
  },
  {
    method: 'GET',
    path: '/partners/{id}',
    fn: 'GetPartner',
    handler: onboarding('get-partner'),
    auth: { roles: STAFF },
    tables: { directory: 'read' },
    summary: 'Read one partner company',
    tag: 'partners',
  },

  {
    method: 'POST',
    path: '/quotes',
    fn: 'CreateQuote',
    handler: quotes('create-quote'),
    auth: { roles: AUTHORS },
    tables: { sales: 'write', directory: 'read' },
    summary: 'Draft a renovation quote',
    tag: 'quotes',
  },
  {
    method: 'GET',
    path: '/quotes',
    fn: 'ListQuotes',
    handler: quotes('list-quotes'),
    auth: { roles: AUTHORS },
    tables: { sales: 'read' },
    secrets: ['linkSigningKey'],
    summary: 'List quotes (an entrepreneur sees its own)',
    tag: 'quotes',
  },
  {
    method: 'GET',
    path: '/quotes/{id}',
    fn: 'GetQuote',
    handler: quotes('get-quote'),
    auth: { roles: AUTHORS },
    tables: { sales: 'read' },
    secrets: ['linkSigningKey'],
    summary: 'Read one quote',
    tag: 'quotes',
  },
  {
    method: 'PATCH',
    path: '/quotes/{id}',
    fn: 'UpdateQuote',
    handler: quotes('update-quote'),
    auth: { roles: AUTHORS },
    tables: { sales: 'write', directory: 'read' },
    summary: 'Edit a draft quote (current version required)',
    tag: 'quotes',
  },
  {
    method: 'POST',
    path: '/quotes/{id}/send',
    fn: 'SendQuote',
    handler: quotes('send-quote'),
    auth: { roles: AUTHORS },
    tables: { sales: 'write', directory: 'read' },
    documents: 'write',
    mail: true,
    pdf: true,
    secrets: ['linkSigningKey'],
    summary: 'Number, render and send the quote to the client',
    tag: 'quotes',
  },
  {
    method: 'POST',
    path: '/quotes/{id}/revisions',
    fn: 'ReviseQuote',
    handler: quotes('revise-quote'),
    auth: { roles: AUTHORS },
    tables: { sales: 'write' },
    summary: 'Start a new revision of a sent quote',
    tag: 'quotes',
  },
  {
    method: 'GET',
    path: '/quotes/{id}/pdf',
    fn: 'QuotePdfLink',
    handler: quotes('quote-pdf-link'),
    auth: { roles: AUTHORS },
    tables: { sales: 'read' },
    documents: 'read',
    summary: 'A short-lived link to the quote PDF',
    tag: 'quotes',
  },
  {
    method: 'GET',
    path: '/q/{token}',
    fn: 'QuotePage',
    handler: quotes('quote-page'),
    auth: 'public',
    tables: { sales: 'read' },
    documents: 'read',
    summary: 'The client’s page: the quote, to accept or decline (HTML, French)',
    tag: 'client',
  },
  {
    method: 'POST',
    path: '/q/{token}/accept',
    fn: 'AcceptQuote',
    handler: quotes('accept-quote'),
    auth: 'public',
    tables: { sales: 'write' },
    documents: 'read',
    summary: 'The client accepts the quote (“Bon pour accord”)',
    tag: 'client',
  },
  {
    method: 'POST',
    path: '/invoices',
    fn: 'CreateInvoice',
    handler: invoices('create-invoice'),
    auth: { roles: AUTHORS },
    tables: { sales: 'write', directory: 'read' },
    summary: 'Draft an invoice (standard, or deposit / final from an accepted quote)',
    tag: 'invoices',
  },
  {
    method: 'GET',
    path: '/invoices',
    fn: 'ListInvoices',
    handler: invoices('list-invoices'),
    auth: { roles: AUTHORS },
    tables: { sales: 'read' },
    secrets: ['linkSigningKey'],
    summary: 'List invoices (an entrepreneur sees its own)',
    tag: 'invoices',
  },
  {
    method: 'GET',
    path: '/invoices/{id}',
    fn: 'GetInvoice',
    handler: invoices('get-invoice'),
    auth: { roles: AUTHORS },
    tables: { sales: 'read' },
    secrets: ['linkSigningKey'],
    summary: 'Read one invoice',
    tag: 'invoices',
  },
  {
    method: 'PATCH',
    path: '/invoices/{id}',
    fn: 'UpdateInvoice',
    handler: invoices('update-invoice'),
    auth: { roles: AUTHORS },
    tables: { sales: 'write', directory: 'read' },
    summary: 'Edit a draft invoice (current version required)',
    tag: 'invoices',
  },
  {
    method: 'POST',
    path: '/invoices/{id}/issue',
    fn: 'IssueInvoice',
    handler: invoices('issue-invoice'),
    auth: { roles: AUTHORS },
    tables: { sales: 'write', directory: 'read' },
    documents: 'write',
    mail: true,
    pdf: true,
    secrets: ['linkSigningKey'],
    summary: 'Number, render and send the invoice with its pay link',
    tag: 'invoices',
  },
  {
    method: 'GET',
    path: '/invoices/{id}/pdf',
    fn: 'InvoicePdfLink',
    handler: invoices('invoice-pdf-link'),
    auth: { roles: AUTHORS },
    tables: { sales: 'read' },
    documents: 'read',
    summary: 'A short-lived link to the invoice PDF',
    tag: 'invoices',
  },
  {
    method: 'POST',
    path: '/invoices/{id}/credit-notes',
    fn: 'CreateCreditNote',
    handler: invoices('create-credit-note'),
    auth: { roles: AUTHORS },
    tables: { sales: 'write', directory: 'read' },
    documents: 'write',
    mail: true,
    pdf: true,
    secrets: ['stripeSecretKey', 'linkSigningKey'],
    summary: 'Issue a credit note (avoir) on all or some lines, e-mail it to the client; refunds what was overpaid',
    tag: 'invoices',
  },
  {
    method: 'GET',
    path: '/invoices/{id}/credit-notes/{n}/pdf',
    fn: 'CreditNotePdfLink',
    handler: invoices('credit-note-pdf-link'),
    auth: { roles: AUTHORS },
    tables: { sales: 'read' },
    documents: 'read',
    summary: 'A short-lived link to a credit note PDF ({n}: its number or id)',
    tag: 'invoices',
  },
  {
    method: 'GET',
    path: '/invoices/{id}/payments',
    fn: 'InvoicePayments',
    handler: invoices('invoice-payments'),
    auth: { roles: AUTHORS },
    tables: { sales: 'read' },
    summary: 'Payments and refunds of an invoice',
    tag: 'invoices',
  },
  {
    method: 'GET',
    path: '/pay/{token}',
    fn: 'PayPage',
    handler: payments('pay-page'),
    auth: 'public',
    tables: { sales: 'read' },
    documents: 'read',
    summary: 'The client’s page to pay an invoice (HTML, French)',
    tag: 'client',
  },
  {
    method: 'POST',
    path: '/pay/{token}/checkout',
    fn: 'StartCheckout',
    handler: payments('start-checkout'),
    auth: 'public',
    tables: { sales: 'write' },
    secrets: ['stripeSecretKey'],
    summary: 'Start a Stripe Checkout Session for the amount due',
    tag: 'client',
  },
  {
    method: 'POST',
    path: '/webhooks/stripe',
    fn: 'StripeWebhook',
    handler: payments('stripe-webhook'),
    auth: 'public',
    tables: { sales: 'write', idempotency: 'write' },
    secrets: ['stripeSecretKey', 'stripeWebhookSecret'],
    summary: 'Stripe events (signature checked on the raw body)',
    tag: 'payments',
  },
  {
    method: 'POST',
    path: '/q/{token}/decline',
    fn: 'DeclineQuote',
    handler: quotes('decline-quote'),
    auth: 'public',
    tables: { sales: 'write' },
    documents: 'read',
    summary: 'The client declines the quote',
    tag: 'client',
  },
  {
    method: 'POST',
    path: '/entrepreneurs/{id}/expenses',
    fn: 'DeclareExpense',
    handler: payroll('declare-expense'),
    auth: { roles: PAYROLL_READERS },
    tables: { payroll: 'write', directory: 'read' },
    documents: 'write',
    summary: 'Declare an expense (note de frais); answers a short-lived signed link to upload its receipt',
    tag: 'payroll',
  },
  {
    method: 'GET',
    path: '/expenses/{id}',
    fn: 'GetExpense',
    handler: payroll('get-expense'),
    auth: { roles: PAYROLL_READERS },
    tables: { payroll: 'read' },
    summary: 'Read one expense',
    tag: 'payroll',
  },
  {
    method: 'POST',
    path: '/expenses/{id}/validate',
    fn: 'ValidateExpense',
    handler: payroll('validate-expense'),
    auth: { roles: STAFF },
    tables: { payroll: 'write' },
    documents: 'read',
    summary: 'Validate an expense (its receipt checked by content): debited from the account, reimbursed on the next payslip',
    tag: 'payroll',
  },
  {
    method: 'POST',
    path: '/expenses/{id}/refuse',
    fn: 'RefuseExpense',
    handler: payroll('refuse-expense'),
    auth: { roles: STAFF },
    tables: { payroll: 'write' },
    summary: 'Refuse an expense, with the reason',
    tag: 'payroll',
  },
  {
    method: 'PUT',
    path: '/entrepreneurs/{id}/salaries/{period}',
    fn: 'SetSalary',
    handler: payroll('set-salary'),
    auth: { roles: STAFF },
    tables: { payroll: 'write', directory: 'read' },
    summary: 'Set the gross salary of a month (or ask for the maximum the activity account allows), with the hours declared',
    tag: 'payroll',
  },
  {
    method: 'POST',
    path: '/entrepreneurs/{id}/payslips/{period}',
    fn: 'IssuePayslip',
    handler: payroll('issue-payslip'),
    auth: { roles: STAFF },
    tables: { payroll: 'write', directory: 'read' },
    documents: 'write',
    mail: true,
    pdf: true,
    summary: 'Compute (modele-social), number, render and e-mail the payslip of a month; the account pays its employer cost',
    tag: 'payroll',
  },
  {
    method: 'GET',
    path: '/entrepreneurs/{id}/payslips',
    fn: 'ListPayslips',
    handler: payroll('list-payslips'),
    auth: { roles: PAYROLL_READERS },
    tables: { payroll: 'read', directory: 'read' },
    summary: 'The payslips of an entrepreneur',
    tag: 'payroll',
  },
  {
    method: 'GET',
    path: '/entrepreneurs/{id}/payslips/{period}/pdf',
    fn: 'PayslipPdfLink',
    handler: payroll('payslip-pdf-link'),
    auth: { roles: PAYROLL_READERS },
    tables: { payroll: 'read', directory: 'read' },
    documents: 'read',
    summary: 'A short-lived link to a payslip PDF',
    tag: 'payroll',
  },
  {
    method: 'GET',
    path: '/entrepreneurs/{id}/account',
    fn: 'ActivityAccount',
    handler: payroll('activity-account'),
    auth: { roles: PAYROLL_READERS },
    tables: { payroll: 'read', directory: 'read' },
    summary: 'The activity account of an entrepreneur: movements (of a month, or all) and balance',
    tag: 'payroll',
  },
  {
    method: 'GET',
    path: '/entrepreneurs/{id}/dashboard',
    fn: 'EntrepreneurDashboard',
    handler: payroll('dashboard'),
    auth: { roles: PAYROLL_READERS },
    tables: { payroll: 'read', directory: 'read' },
    summary: 'Month by month: hours, turnover, contribution, expenses, salary, balance, gap to the business-plan profile',
    tag: 'payroll',
  },
  {
    method: 'PUT',
    path: '/entrepreneurs/{id}/withholding-rate',
    fn: 'SetWithholdingRate',
    handler: payroll('set-withholding-rate'),
    auth: { roles: STAFF },
    tables: { payroll: 'write', directory: 'read' },
    summary: 'Record the withholding rate the tax administration sent, from a month on (a new version, never an edit)',
    tag: 'payroll',
  },
  {
    method: 'GET',
    path: '/entrepreneurs/{id}/withholding-rate',
    fn: 'WithholdingRates',
    handler: payroll('withholding-rates'),
    auth: { roles: PAYROLL_READERS },
    tables: { payroll: 'read', directory: 'read' },
    summary: 'The withholding rate versions of an entrepreneur and the one in force',
    tag: 'payroll',
  },
  {
    method: 'PUT',
    path: '/etds/{code}/caes/{cae}/payroll-settings',
    fn: 'SetCaePayrollSettings',
    handler: payroll('set-cae-payroll-settings'),
    auth: { roles: ['operator'] },
    tables: { payroll: 'write', directory: 'read' },
    summary: 'Record a new effective-dated version of a CAE’s payroll settings (contribution, basis, overdraft)',
    tag: 'payroll',
  },
] as const satisfies readonly RouteDef[];

export type RouteKey = `${(typeof routes)[number]['method']} ${(typeof routes)[number]['path']}`;

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>): string => `${r.method} ${r.path}`;

export function findRoute(key: RouteKey): RouteDef {
  const found = (routes as readonly RouteDef[]).find((r) => routeKey(r) === key);
  if (!found) throw new Error(`route ${key} is not in the route table`);
  return found;
}
