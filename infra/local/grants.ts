/**
 * Offline, each function runs with only what its entry grants (functions/grants.ts `grantsOf`),
 * and is refused what it was not granted the way AWS would refuse it:
 *   DynamoDB      a middleware on the shared client (functions/shared/dynamo.ts) maps every command
 *                 to its IAM action and resource and throws `AccessDeniedException` (HTTP 400,
 *                 client fault) with AWS's message when no statement of the grants allows it;
 *   environment   `process.env` becomes a view that, inside a function, hides every grant-
 *                 controlled variable (table names, secrets, DOCUMENTS_BUCKET, MAIL_FROM,
 *                 PDF_ASSETS_DIR, SECRET_…_ID) the function was not granted: `tableName('sales')`
 *                 throws "TABLE_SALES is not set" as in Lambda;
 *   adapters      the local secrets, documents, mail and payments (infra/local/adapters.ts) check
 *                 the grant on every call and fail as the cloud adapters do when their variable
 *                 is missing or their IAM statement absent.
 * The current function comes from an AsyncLocalStorage set by `runWithGrants`, which
 * `invokeHandler` (infra/local/apigw.ts) wraps around every invocation: the local server, the
 * scheduler and `npm run invoke` all go through it. Outside a function (the runtime itself,
 * tests calling services or adapters directly) nothing is hidden or refused.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import type { HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments, MetadataBearer } from '@smithy/types';
import {
  allowsDynamo,
  GRANT_CONTROLLED_VARIABLES,
  grantsOf,
  secretIdVar,
  type FunctionGrants,
  type GrantSource,
  type TableResource,
} from '../../functions/grants.ts';
import type { SecretKey } from '../../functions/routes.ts';
import type { Adapters } from '../../functions/shared/adapters.ts';
import { documentClient } from '../../functions/shared/dynamo.ts';
import { tables as tableDefs, type TableKey } from '../../functions/tables.ts';
import { LOCAL_REGION } from './tables.ts';

/** The account of every ARN the local runtime makes up. */
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface GrantContext {
  readonly fn: string;
  readonly grants: FunctionGrants;
  /** The grant-controlled variables this function may see. */
  readonly visible: ReadonlySet<string>;
}

/** A refusal, as reported to `onGrantDenied` listeners (tests, logs). */
export interface GrantDenial {
  readonly fn: string;
  readonly kind: 'dynamodb' | 'environment' | 'secrets' | 'documents' | 'mail' | 'payments';
  /** The action, variable or secret refused (no value, no key of an item). */
  readonly what: string;
  readonly message: string;
}

const storage = new AsyncLocalStorage<GrantContext>();
const controlled = new Set(GRANT_CONTROLLED_VARIABLES);
const listeners = new Set<(denial: GrantDenial) => void>();

/** The function running in this async context, if any. */
export function currentGrantContext(): GrantContext | undefined {
  return storage.getStore();
}

/** Calls `listener` on every refusal from now on; returns the function that stops it. */
export function onGrantDenied(listener: (denial: GrantDenial) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function deny(context: GrantContext, kind: GrantDenial['kind'], what: string, error: Error): Error {
  const denial = { fn: context.fn, kind, what, message: error.message };
  for (const listener of listeners) {
    try {
      listener(denial);
    } catch {
      // a listener's failure is not the function's
    }
  }
  return error;
}

/**
 * Runs `run` as the function `def` (its grants only). Installs the enforcement first (once per
 * process). Nested calls take the inner definition.
 */
export function runWithGrants<T>(def: GrantSource, run: () => T): T {
  installGrantEnforcement();
  return storage.run(grantContextOf(def), run);
}

/** The grant context of an entry, computed once per entry object (an entry of the tables does not change). */
const contexts = new WeakMap<GrantSource, GrantContext>();
function grantContextOf(def: GrantSource): GrantContext {
  let context = contexts.get(def);
  if (!context || context.fn !== def.fn) {
    const grants = grantsOf(def);
    context = { fn: def.fn, grants, visible: new Set(grants.localEnvironment) };
    contexts.set(def, context);
  }
  return context;
}

// ---- Environment -------------------------------------------------------------------------------

let realEnv: NodeJS.ProcessEnv | undefined;

/** The process environment without the function's view (the runtime's own reads, table names). */
export function unfilteredEnv(): NodeJS.ProcessEnv {
  return realEnv ?? process.env;
}

const hidden = (key: string | symbol): key is string => {
  if (typeof key !== 'string' || !controlled.has(key)) return false;
  const context = storage.getStore();
  return context !== undefined && !context.visible.has(key);
};

function installEnvView(): void {
  if (realEnv) return;
  const target = process.env;
  realEnv = target;
  process.env = new Proxy(target, {
    get(env, key, receiver) {
      if (hidden(key)) {
        const context = storage.getStore()!;
        if (env[key] !== undefined) deny(context, 'environment', key, new Error(`${key} is not set (not granted to ${context.fn})`));
        return undefined;
      }
      return Reflect.get(env, key, receiver);
    },
    has: (env, key) => !hidden(key) && Reflect.has(env, key),
    ownKeys: (env) => Reflect.ownKeys(env).filter((key) => !hidden(key)),
    getOwnPropertyDescriptor: (env, key) => (hidden(key) ? undefined : Reflect.getOwnPropertyDescriptor(env, key)),
    // Writes go to the real environment as they are (its own string coercion, no descriptor games).
    set: (env, key, value) => Reflect.set(env, key, value),
    deleteProperty: (env, key) => Reflect.deleteProperty(env, key),
  });
}

// ---- DynamoDB ----------------------------------------------------------------------------------

/** One IAM check a DynamoDB call makes: this action on this table (and index). */
export interface DynamoRequest {
  readonly action: string;
  readonly tableName: string;
  readonly indexName?: string;
}

type Input = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const onTable = (action: string, input: Input): DynamoRequest[] => {
  const tableName = str(input.TableName) ?? '*';
  const indexName = str(input.IndexName);
  return [{ action, tableName, ...(indexName ? { indexName } : {}) }];
};

/**
 * The IAM checks of a DynamoDB operation (`PutItem`, `TransactWriteItems`…, without "Command"):
 * a transaction is checked item by item (Put → PutItem, Update → UpdateItem, Delete → DeleteItem,
 * ConditionCheck → ConditionCheckItem; TransactGetItems → GetItem), a batch table by table with
 * its own action (BatchGetItem, BatchWriteItem), everything else as `dynamodb:<Operation>` on its
 * table or index.
 */
export function dynamoRequests(operation: string, input: Input): DynamoRequest[] {
  switch (operation) {
    case 'TransactWriteItems': {
      const kinds = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' } as const;
      return ((input.TransactItems as Input[] | undefined) ?? []).flatMap((item) =>
        (Object.keys(kinds) as (keyof typeof kinds)[])
          .filter((kind) => item[kind])
          .map((kind) => ({ action: `dynamodb:${kinds[kind]}`, tableName: str((item[kind] as Input).TableName) ?? '*' })),
      );
    }
    case 'TransactGetItems':
      return ((input.TransactItems as Input[] | undefined) ?? []).map((item) => ({
        action: 'dynamodb:GetItem',
        tableName: str((item.Get as Input | undefined)?.TableName) ?? '*',
      }));
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((input.RequestItems as Input | undefined) ?? {}).map((tableName) => ({
        action: `dynamodb:${operation}`,
        tableName,
      }));
    default:
      return onTable(`dynamodb:${operation}`, input);
  }
}

export const tableArn = (tableName: string): string => `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table/${tableName}`;
const resourceArn = (request: DynamoRequest) => `${tableArn(request.tableName)}${request.indexName ? `/index/${request.indexName}` : ''}`;

/** The caller's identity in AWS's refusal: the function's execution role session. */
export const assumedRoleArn = (fn: string): string => `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${fn}-role/${fn}`;

/** AWS's own wording of an IAM refusal. */
export const notAuthorizedMessage = (fn: string, action: string, resource: string): string =>
  `User: ${assumedRoleArn(fn)} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

/** The error DynamoDB answers when IAM refuses a call: `AccessDeniedException`, 400, client fault. */
export function accessDeniedException(fn: string, request: DynamoRequest, requestId = randomUUID()): DynamoDBServiceException {
  return new DynamoDBServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400, requestId, attempts: 1, totalRetryDelay: 0 },
    message: notAuthorizedMessage(fn, request.action, resourceArn(request)),
  });
}

/** The table key behind a (local) table name, from the runtime's own environment. */
function tableKeyOf(tableName: string): TableKey | undefined {
  const env = unfilteredEnv();
  return (Object.keys(tableDefs) as TableKey[]).find((key) => env[tableDefs[key].envVar] === tableName);
}

/** The first request of `requests` the grants do not allow, if any. */
export function firstDenied(grants: FunctionGrants, requests: readonly DynamoRequest[]): DynamoRequest | undefined {
  return requests.find((request) => {
    const key = tableKeyOf(request.tableName);
    const resource: TableResource = request.indexName ? `index/${request.indexName}` : 'table';
    return !key || !allowsDynamo(grants, request.action, key, resource);
  });
}

/** Throws AccessDeniedException when the current function may not make this call. */
export function checkDynamoCall(operation: string, input: Input): void {
  const context = storage.getStore();
  if (!context) return;
  const refused = firstDenied(context.grants, dynamoRequests(operation, input));
  if (refused) throw deny(context, 'dynamodb', refused.action, accessDeniedException(context.fn, refused));
}

const GRANT_MIDDLEWARE = 'localGrantCheck';

/** The middleware of the shared client: runs before the request is built, retries and all. */
function grantMiddleware<Output extends MetadataBearer>(
  next: InitializeHandler<Input, Output>,
  context: HandlerExecutionContext,
): InitializeHandler<Input, Output> {
  return async (args: InitializeHandlerArguments<Input>) => {
    const operation = String(context.commandName ?? '').replace(/Command$/, '');
    checkDynamoCall(operation, args.input);
    return next(args);
  };
}

/** Adds the grant check to a DynamoDB client's middleware stack (idempotent). */
// biome-ignore lint/suspicious/noExplicitAny: any client's middleware stack (its add() is generic over the client's own input and output types)
export function enforceGrantsOn(client: { middlewareStack: { add: (...args: any[]) => void; identify?: () => string[] } }): void {
  if (client.middlewareStack.identify?.().some((name) => name.startsWith(GRANT_MIDDLEWARE))) return;
  client.middlewareStack.add(grantMiddleware, { step: 'initialize', name: GRANT_MIDDLEWARE, priority: 'high', override: true });
}

// ---- Adapters ------------------------------------------------------------------------------------

/** What the cloud adapters throw when a capability's variable is missing (functions/shared/cloud-adapters.ts). */
const notSetError = (name: string) => new Error(`${name} is not set: the stack grants this capability with its environment variable`);

/** What S3 answers when IAM refuses an object action (`AccessDenied`, 403). */
function s3AccessDenied(fn: string, action: string, key: string): Error {
  const error = new Error(notAuthorizedMessage(fn, action, `arn:aws:s3:::local-documents/${key}`));
  error.name = 'AccessDenied';
  Object.assign(error, { $fault: 'client', $metadata: { httpStatusCode: 403 } });
  return error;
}

/** Refuses reading `key` unless the current function is granted it (as SECRET_<VAR>_ID unset would). */
export function checkSecret(key: SecretKey, kind: 'secrets' | 'payments' = 'secrets'): void {
  const context = storage.getStore();
  if (!context || context.grants.secrets.some((s) => s.key === key)) return;
  throw deny(context, kind, key, notSetError(secretIdVar(key)));
}

/** Refuses a document call the current function is not granted (no bucket variable, or no s3:PutObject). */
export function checkDocuments(access: 'read' | 'write', key: string): void {
  const context = storage.getStore();
  if (!context) return;
  const granted = context.grants.documents;
  if (!granted) throw deny(context, 'documents', access, notSetError('DOCUMENTS_BUCKET'));
  const action = access === 'write' ? 's3:PutObject' : 's3:GetObject';
  if (!granted.actions.includes(action)) throw deny(context, 'documents', action, s3AccessDenied(context.fn, action, key));
}

/** Refuses sending mail unless the current function is granted `mail` (as MAIL_FROM unset would). */
export function checkMail(): void {
  const context = storage.getStore();
  if (context && !context.grants.mail) throw deny(context, 'mail', 'ses:SendEmail', notSetError('MAIL_FROM'));
}

/** The same adapters, each call checked against the current function's grants first. */
export function withGrantChecks(inner: Adapters): Adapters {
  const { documents, mailer, secrets, payments } = inner;
  return {
    documents: {
      put: async (key, body, contentType) => {
        checkDocuments('write', key);
        return documents.put(key, body, contentType);
      },
      get: async (key) => {
        checkDocuments('read', key);
        return documents.get(key);
      },
      link: async (key, options) => {
        checkDocuments('read', key);
        return documents.link(key, options);
      },
      // Presigning a PUT needs s3:PutObject, as the URL acts with the signer's permissions.
      uploadLink: async (key, options) => {
        checkDocuments('write', key);
        return documents.uploadLink(key, options);
      },
    },
    mailer: {
      send: async (message) => {
        checkMail();
        return mailer.send(message);
      },
    },
    secrets: {
      get: async (key) => {
        checkSecret(key);
        return secrets.get(key);
      },
    },
    payments: {
      connection: async () => {
        checkSecret('stripeSecretKey', 'payments');
        return payments.connection();
      },
      webhookSecret: async () => {
        checkSecret('stripeWebhookSecret', 'payments');
        return payments.webhookSecret();
      },
    },
    publicBaseUrl: inner.publicBaseUrl,
  };
}

// ---- Installation ----------------------------------------------------------------------------------

let installed = false;

/** The repository's layer of PDF assets: what `/opt/pdf-assets` holds on Lambda. */
export const LOCAL_PDF_ASSETS_DIR = fileURLToPath(new URL('../../layers/pdf-assets/', import.meta.url)).replace(/\/$/, '');

/**
 * Offline, the PDF assets are the repository's layer: sets PDF_ASSETS_DIR unless given (a
 * grant-controlled variable: only the functions granted `pdf` see it).
 */
export function useLocalPdfAssets(): void {
  process.env.PDF_ASSETS_DIR ||= LOCAL_PDF_ASSETS_DIR;
}

/**
 * Installs the environment view and the DynamoDB check on the shared client (once per process;
 * `invokeHandler` calls it). Outside a function context both let everything through.
 */
export function installGrantEnforcement(): void {
  if (installed) return;
  installed = true;
  useLocalPdfAssets();
  installEnvView();
  enforceGrantsOn(documentClient());
}
