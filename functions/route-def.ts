/**
 * What a route of the route table is (functions/routes.ts gathers every context's
 * functions/<context>/routes.ts): its method, path, function, roles and grants, and the secrets a
 * function may be granted. Plain data and types, shared by the tables, the stacks and the handlers.
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
  /**
   * Reads the metering lines of every function (functions/shared/metering.ts): CloudWatch Logs
   * Insights over the app's function log groups in the cloud (their name prefix in
   * METERING_LOG_GROUP_PREFIX), the local metering log offline. The daily cost job only.
   */
  readonly meteringLogs?: boolean;
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

/** The handler module of a context's function: `functions/<context>/handlers/<name>.ts`. */
export const handlerIn =
  (context: string) =>
  (name: string): string =>
    `functions/${context}/handlers/${name}.ts`;

/** Payroll: an entrepreneur its own account, staff their territory, operators all (functions/payroll/domain/access.ts). */
export const PAYROLL_READERS: readonly Role[] = ['operator', 'manager', 'entrepreneur'];
export const AUTHORS: readonly Role[] = ['manager', 'entrepreneur'];
export const STAFF: readonly Role[] = ['operator', 'manager'];

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** `METHOD /path` of each route of a table. */
export type KeyOf<T extends readonly RouteDef[]> = `${T[number]['method']} ${T[number]['path']}`;

/** The route of `key` in `table` (a context's routes, or all of them); throws when it is not there. */
export function routeIn<T extends readonly RouteDef[]>(table: T, key: KeyOf<T>): RouteDef {
  const found = table.find((r) => routeKey(r) === key);
  if (!found) throw new Error(`route ${key} is not in the route table`);
  return found;
}
