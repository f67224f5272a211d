/**
 * The house Lambda function (after aws-powertools/powertools-lambda-typescript examples/app):
 * Node.js 24 on arm64, ESM bundle from infra/constructs/bundling.ts, active tracing, its own log
 * group with retention, an execution role that holds only what it is granted (no managed
 * policy), Powertools settings in the environment, and `bindGrants`, which turns the grants of a
 * route, job or consumer entry (functions/grants.ts `grantsOf`: tables, documents, mail, secrets,
 * PDF assets) into IAM statements and the environment variables the adapters read
 * (functions/shared/cloud-adapters.ts), nothing more.
 */
import path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing, type ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { Construct, IConstruct } from 'constructs';
import { bundleAliases, bundlingOptions, depsLockFilePath, FUNCTION_MEMORY_MB, repoRoot } from './bundling.ts';

import type { FunctionGrants, SecretGrant, TableGrant, TableResource } from '../../functions/grants.ts';
import type { SecretKey, TableAccess } from '../../functions/routes.ts';
import type { TableKey } from '../../functions/tables.ts';

export type { TableAccess };
/** The action lists live with the grant model (functions/grants.ts), the one source of grants. */
export { DYNAMODB_READ_ACTIONS, DYNAMODB_WRITE_ACTIONS } from '../../functions/grants.ts';

/** The resources a function's grants name (functions/grants.ts), as the stacks hold them. */
export interface GrantResources {
  readonly tables: Readonly<Record<TableKey, ITableV2>>;
  readonly documentsBucket: IBucket;
  readonly secrets: Readonly<Record<SecretKey, ISecret>>;
  readonly mailIdentity: IEmailIdentity;
  readonly mailFrom: string;
  /** The PDF assets layer, for the functions granted `pdf`. */
  readonly pdfAssets?: ILayerVersion;
  /** The name prefix every house function's log group shares (`functionLogGroupPrefix`), for `meteringLogs`. */
  readonly logGroupPrefix?: string;
}

export interface HouseFunctionProps {
  /** Handler module relative to the repository root (as in functions/routes.ts and jobs.ts); exports `handler`. */
  readonly entry: string;
  readonly description?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 'oui-ensemble' */
  readonly serviceName?: string;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The log group is named `<logGroupPrefix><id>` (one prefix for the app's functions, so the daily
   * cost job can query them all by prefix); unset, CloudFormation names it.
   */
  readonly logGroupPrefix?: string;
}

/** The prefix of the house functions' log group names in a stateless stack: `/oui-ensemble/<stack>/`. */
export const functionLogGroupPrefix = (stackName: string): string => `/oui-ensemble/${stackName}/`;

export const METRICS_NAMESPACE = 'OuiEnsemble';

/** Where the PDF assets layer puts its folder (a layer's content lands in /opt). */
export const PDF_ASSETS_DIR = '/opt/pdf-assets';

/** The address of a `Name <address>` mailbox (or the mailbox itself when it is a bare address). */
export const mailAddress = (mailbox: string): string => (/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim();

export class HouseFunction extends NodejsFunction {
  /** The function's own log group (the inherited `logGroup` getter returns it too, as ILogGroup). */
  readonly functionLogGroup: LogGroup;
  readonly executionRole: Role;
  readonly #boundTables: ITableV2[] = [];
  readonly #documentBuckets: IBucket[] = [];
  #logGroupsArn: string | undefined;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    // Lambda may only write to its own log group: no AWSLambdaBasicExecutionRole.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    // Logs are operational (no personal data) and kept a month; they go with the stack.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      ...(props.logGroupPrefix ? { logGroupName: `${props.logGroupPrefix}${id}` } : {}),
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: path.resolve(repoRoot, props.entry),
      handler: 'handler',
      ...(props.description ? { description: props.description.slice(0, 256) } : {}),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? FUNCTION_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      projectRoot: repoRoot,
      depsLockFilePath,
      bundling: {
        ...bundlingOptions,
        format: OutputFormat.ESM,
        logLevel: LogLevel.WARNING,
        mainFields: [...bundlingOptions.mainFields],
        externalModules: [...bundlingOptions.externalModules],
        // esbuild's `--alias:<module>=<file>`, as esbuildOptionsFor sets `alias`.
        esbuildArgs: { '--alias': Object.entries(bundleAliases()).map(([module, file]) => `${module}=${file}`) },
      },
      environment: {
        // No NODE_OPTIONS=--enable-source-maps: it parses each bundle's map at every cold start;
        // the stacks the functions log are mapped when logged (functions/shared/source-stack.ts).
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'oui-ensemble',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
    this.executionRole = role;
    this.functionLogGroup = logGroup;
    logGroup.grantWrite(role);

    // Tracing.ACTIVE adds xray:PutTraceSegments/PutTelemetryRecords on "*" to the role's policy.
    acknowledgeOnRolePolicy(role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords take no resource ARN (added by active tracing).',
    });
    this.node.addValidation({ validate: () => this.#acknowledgeResourceWildcards() });
  }

  /**
   * Everything `grants` (functions/grants.ts `grantsOf` of a route, job or consumer entry) gives
   * this function, and nothing else: its IAM statements, in the order of the entry, and the
   * environment variables they come with.
   */
  bindGrants(grants: FunctionGrants, resources: GrantResources): void {
    for (const table of grants.tables) this.#bindTable(resources.tables[table.table], table);
    if (grants.documents) this.#bindDocuments(resources.documentsBucket, grants.documents);
    if (grants.mail) this.#bindMail(resources.mailIdentity, resources.mailFrom, grants.mail);
    for (const secret of grants.secrets) this.#bindSecret(resources.secrets[secret.key], secret);
    if (grants.pdf) {
      if (!resources.pdfAssets) throw new Error(`${grants.fn} renders PDFs but no PDF assets layer was given`);
      this.addLayers(resources.pdfAssets);
      this.addEnvironment(grants.pdf.envVar, PDF_ASSETS_DIR);
    }
    if (grants.meteringLogs) {
      const prefix = resources.logGroupPrefix;
      if (!prefix) throw new Error(`${grants.fn} reads the metering logs but the function log groups have no common prefix`);
      // StartQuery on the app's function log groups only (their common name prefix); the results
      // of a query take no resource ARN (the role's `Resource::*`, acknowledged for X-Ray already).
      this.#logGroupsArn = Stack.of(this).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: `${prefix}*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      this.#grant(grants.meteringLogs.queryActions, [this.#logGroupsArn]);
      this.#grant(grants.meteringLogs.resultActions, ['*']);
      this.addEnvironment(grants.meteringLogs.envVar, prefix);
    }
  }

  #grant(actions: readonly string[], resources: string[], conditions?: Record<string, unknown>): void {
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...actions], resources, ...(conditions ? { conditions } : {}) }),
    );
  }

  /** The table's statement (read-only unless granted more) and its name in the table's variable. */
  #bindTable(table: ITableV2, grant: TableGrant): void {
    const arnOf = (resource: TableResource) => (resource === 'table' ? table.tableArn : `${table.tableArn}/${resource}`);
    this.#grant(grant.statement.actions, grant.statement.resources.map(arnOf));
    if (grant.statement.resources.includes('index/*')) this.#boundTables.push(table);
    // Tables are encrypted with the AWS-owned/managed key: no KMS grant needed.
    this.addEnvironment(grant.envVar, table.tableName);
  }

  /**
   * The documents bucket: `read` may get objects (and so presign GetObject links), `write` may
   * also put them. Never list, never delete: issued documents are immutable (and the bucket is
   * versioned). The bucket's name goes in DOCUMENTS_BUCKET.
   */
  #bindDocuments(bucket: IBucket, grant: NonNullable<FunctionGrants['documents']>): void {
    this.#grant(grant.actions, [bucket.arnForObjects('*')]);
    this.addEnvironment(grant.envVar, bucket.bucketName);
    this.#documentBuckets.push(bucket);
  }

  /** ses:SendEmail through this one identity, from this one address only; MAIL_FROM = `mailFrom`. */
  #bindMail(identity: IEmailIdentity, mailFrom: string, grant: NonNullable<FunctionGrants['mail']>): void {
    this.#grant(grant.actions, [identity.emailIdentityArn], { StringEquals: { 'ses:FromAddress': mailAddress(mailFrom) } });
    this.addEnvironment(grant.envVar, mailFrom);
  }

  /** Read access to one secret (SECRET_READ_ACTIONS, by `grantRead`); its ARN (never its value) in SECRET_<envVar>_ID. */
  #bindSecret(secret: ISecret, grant: SecretGrant): void {
    secret.grantRead(this);
    this.addEnvironment(grant.idEnvVar, secret.secretArn);
  }

  /**
   * DynamoDB grants cover `<table ARN>/index/*` so that GSIs can be queried, and document grants
   * `<bucket ARN>/*` (objects). The finding id names
   * the ARN as it appears in the template (an import from the stateful stack), which exists only
   * once references are resolved: acknowledge it then, before cdk-nag reads the tree.
   */
  #acknowledgeResourceWildcards(): string[] {
    for (const table of this.#boundTables) {
      acknowledgeWildcardResource(
        this.executionRole,
        table.tableArn,
        '/index/*',
        'Grant covers the secondary indexes of this one table (Query by GSI); nothing beyond it.',
      );
    }
    for (const bucket of this.#documentBuckets) {
      acknowledgeWildcardResource(
        this.executionRole,
        bucket.bucketArn,
        '/*',
        'Objects of the documents bucket only (keys are chosen per document when issued); no list, no delete.',
      );
    }
    if (this.#logGroupsArn) {
      acknowledgeWildcardResource(
        this.executionRole,
        this.#logGroupsArn,
        '',
        'Logs Insights StartQuery on the log groups of this app’s functions only (their common name prefix), for the daily cost job.',
      );
    }
    return [];
  }
}

/** Acknowledges a cdk-nag finding on the role's default policy (or the role when it has none). */
export function acknowledgeOnRolePolicy(role: IRole, rule: { id: string; reason: string }): void {
  const target: IConstruct = role.node.tryFindChild('DefaultPolicy') ?? role;
  Validations.of(target).acknowledge(rule);
}

/**
 * Acknowledges `AwsSolutions-IAM5[Resource::<arn><suffix>]` on `role`'s default policy, with the
 * ARN spelled as cdk-nag spells it in the synthesized template. Call it once references are
 * resolved (from a construct validation), since a cross-stack ARN becomes an import only then.
 */
export function acknowledgeWildcardResource(role: IRole, arn: string, suffix: string, reason: string): void {
  const resolved: unknown = Stack.of(role).resolve(arn);
  const policy = role.node.tryFindChild('DefaultPolicy');
  const target: IConstruct = policy instanceof Policy ? policy : role;
  Validations.of(target).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(resolved)}${suffix}]`, reason });
}
