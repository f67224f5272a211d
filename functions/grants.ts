/**
 * The one grant model. From an entry of the route table (functions/routes.ts), the job table
 * (functions/jobs.ts) or any other function table with the same shape (`fn`, `tables`,
 * Capabilities), `grantsOf` derives what the function is given: the names of its environment
 * variables, its DynamoDB actions per table and resource, its S3 actions on the documents bucket,
 * ses:SendEmail, its secrets. The CDK construct (infra/constructs/function.ts) turns this into IAM
 * statements and environment values; the local runtime (infra/local/grants.ts) refuses offline
 * what it does not list. Pure: no AWS SDK, no CDK, no environment read.
 */
import { secrets as secretDefs, type Access, type Capabilities, type SecretKey, type TableAccess } from './route-def.ts';
import { tables as tableDefs, type TableKey } from './tables.ts';

/** Exact DynamoDB actions (no Scan, no batch writes, no PartiQL): what the stores call. */
export const DYNAMODB_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'] as const;
export const DYNAMODB_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;
/** Objects of the documents bucket: read may get (and so presign GetObject links), write may also put. Never list, never delete. */
export const S3_READ_ACTIONS = ['s3:GetObject'] as const;
export const S3_WRITE_ACTIONS = ['s3:GetObject', 's3:PutObject'] as const;
export const SES_SEND_ACTIONS = ['ses:SendEmail'] as const;
/** What `ISecret.grantRead` grants (the CDK stack calls it; test/infra checks the two agree). */
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] as const;

/** Environment variables of the capabilities (functions/shared/cloud-adapters.ts reads them). */
export const DOCUMENTS_BUCKET_VAR = 'DOCUMENTS_BUCKET';
export const MAIL_FROM_VAR = 'MAIL_FROM';
export const PDF_ASSETS_DIR_VAR = 'PDF_ASSETS_DIR';
export const METERING_LOG_GROUP_PREFIX_VAR = 'METERING_LOG_GROUP_PREFIX';
/**
 * Logs Insights over the functions' log groups: StartQuery on those groups (the stack names them
 * by their common prefix), GetQueryResults and StopQuery on the query (they take no resource).
 */
export const LOGS_QUERY_ACTIONS = ['logs:StartQuery'] as const;
export const LOGS_RESULTS_ACTIONS = ['logs:GetQueryResults', 'logs:StopQuery'] as const;

/** Environment variable holding a secret's ARN in the cloud: `SECRET_<ENVVAR>_ID`. */
export const secretIdVar = (key: SecretKey): string => `SECRET_${secretDefs[key].envVar}_ID`;

/** What `grantsOf` reads: any function definition with a name, its tables and its capabilities. */
export interface GrantSource extends Capabilities {
  readonly fn: string;
  readonly tables: Partial<Record<TableKey, TableAccess>>;
}

/** A resource of a table: the table itself, all its indexes, or one index. */
export type TableResource = 'table' | 'index/*' | `index/${string}`;

/** One IAM statement on one table: these actions on these resources of it. */
export interface DynamoStatement {
  readonly table: TableKey;
  readonly actions: readonly string[];
  readonly resources: readonly TableResource[];
}

export interface TableGrant {
  readonly table: TableKey;
  readonly access: TableAccess;
  /** The variable that carries the table's name (every bound table gets it, whatever the access). */
  readonly envVar: string;
  readonly statement: DynamoStatement;
}

export interface SecretGrant {
  readonly key: SecretKey;
  /** Offline, the value itself (infra/local/adapters.ts). */
  readonly envVar: string;
  /** In the cloud, the secret's ARN (never its value). */
  readonly idEnvVar: string;
  readonly actions: readonly string[];
}

export interface FunctionGrants {
  readonly fn: string;
  /** In the order of the definition (the CDK stack adds the statements in this order). */
  readonly tables: readonly TableGrant[];
  readonly documents?: { readonly access: Access; readonly actions: readonly string[]; readonly envVar: string };
  readonly mail?: { readonly actions: readonly string[]; readonly envVar: string };
  readonly secrets: readonly SecretGrant[];
  readonly pdf?: { readonly envVar: string };
  readonly meteringLogs?: {
    readonly queryActions: readonly string[];
    readonly resultActions: readonly string[];
    readonly envVar: string;
  };
  /** Names of the grant-controlled variables the function receives in Lambda. */
  readonly environment: readonly string[];
  /** The same offline: the secrets' own variables as well as their SECRET_…_ID. */
  readonly localEnvironment: readonly string[];
}

function tableStatement(table: TableKey, access: TableAccess): DynamoStatement {
  if (access === 'describe') return { table, actions: ['dynamodb:DescribeTable'], resources: ['table'] };
  if (typeof access === 'object') return { table, actions: ['dynamodb:Query'], resources: [`index/${access.queryIndex}`] };
  const actions = access === 'write' ? [...DYNAMODB_READ_ACTIONS, ...DYNAMODB_WRITE_ACTIONS] : [...DYNAMODB_READ_ACTIONS];
  return { table, actions, resources: ['table', 'index/*'] };
}

/** What the definition grants its function, and nothing else. */
export function grantsOf(def: GrantSource): FunctionGrants {
  const tableGrants = (Object.entries(def.tables) as [TableKey, TableAccess | undefined][])
    .filter((entry): entry is [TableKey, TableAccess] => entry[1] !== undefined)
    .map(([table, access]) => ({ table, access, envVar: tableDefs[table].envVar, statement: tableStatement(table, access) }));
  const secretGrants = [...new Set(def.secrets ?? [])].map((key) => ({
    key,
    envVar: secretDefs[key].envVar,
    idEnvVar: secretIdVar(key),
    actions: [...SECRET_READ_ACTIONS],
  }));
  const documents = def.documents
    ? {
        access: def.documents,
        actions: def.documents === 'write' ? [...S3_WRITE_ACTIONS] : [...S3_READ_ACTIONS],
        envVar: DOCUMENTS_BUCKET_VAR,
      }
    : undefined;
  const mail = def.mail ? { actions: [...SES_SEND_ACTIONS], envVar: MAIL_FROM_VAR } : undefined;
  const pdf = def.pdf ? { envVar: PDF_ASSETS_DIR_VAR } : undefined;
  const meteringLogs = def.meteringLogs
    ? { queryActions: [...LOGS_QUERY_ACTIONS], resultActions: [...LOGS_RESULTS_ACTIONS], envVar: METERING_LOG_GROUP_PREFIX_VAR }
    : undefined;
  const environment = [
    ...tableGrants.map((t) => t.envVar),
    ...(documents ? [documents.envVar] : []),
    ...(mail ? [mail.envVar] : []),
    ...secretGrants.map((s) => s.idEnvVar),
    ...(pdf ? [pdf.envVar] : []),
    ...(meteringLogs ? [meteringLogs.envVar] : []),
  ];
  return {
    fn: def.fn,
    tables: tableGrants,
    ...(documents ? { documents } : {}),
    ...(mail ? { mail } : {}),
    secrets: secretGrants,
    ...(pdf ? { pdf } : {}),
    ...(meteringLogs ? { meteringLogs } : {}),
    environment,
    localEnvironment: [...environment, ...secretGrants.map((s) => s.envVar)],
  };
}

/**
 * Every variable a grant decides: a function that is not granted one of these must not see it
 * (offline, infra/local/grants.ts hides them). The others (AWS_*, POWERTOOLS_*, PUBLIC_BASE_URL…)
 * every function receives.
 */
export const GRANT_CONTROLLED_VARIABLES: readonly string[] = [
  ...Object.values(tableDefs).map((t) => t.envVar),
  ...(Object.keys(secretDefs) as SecretKey[]).flatMap((key) => [secretDefs[key].envVar, secretIdVar(key)]),
  DOCUMENTS_BUCKET_VAR,
  MAIL_FROM_VAR,
  PDF_ASSETS_DIR_VAR,
  METERING_LOG_GROUP_PREFIX_VAR,
];

/** Whether a statement of `grants` allows `action` on `resource` of `table` (IAM semantics, exact names). */
export function allowsDynamo(grants: FunctionGrants, action: string, table: TableKey, resource: TableResource): boolean {
  return grants.tables.some(
    ({ statement }) =>
      statement.table === table &&
      statement.actions.includes(action) &&
      statement.resources.some((r) => r === resource || (r === 'index/*' && resource.startsWith('index/'))),
  );
}
