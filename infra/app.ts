/**
 * The CDK app: the stateful stack (tables, documents bucket, user pool) and the stateless stack
 * (functions, HTTP API, schedules, dashboard, alarms), checked by cdk-nag's AwsSolutions pack.
 * `infra/bin/app.ts` synthesizes it for the CLI; tests call `buildApp` with their own context.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stacks/stateful.ts';
import { StatelessStack } from './stacks/stateless.ts';

export const STACK_PREFIX = 'OuiEnsemble';
export const DEFAULT_REGION = 'eu-west-3';
/** SES identity (a domain) the back office sends from; context `mailDomain` overrides it. */
export const DEFAULT_MAIL_DOMAIN = 'oui-ensemble.fr';

/** Behaviour this app relies on, set here so it does not depend on cdk.json. */
const FEATURE_FLAGS = {
  // Server access logs are granted by a bucket policy (works with BucketOwnerEnforced), not an ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // Tables, bucket and pool are exported to the stateless stack: keep the exports strong, so
  // the stateful stack cannot drop one while a function still uses it.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
} as const;

export interface OuiEnsembleApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

export function buildApp(context: Record<string, unknown> = {}): OuiEnsembleApp {
  const app = new App({ context: { ...FEATURE_FLAGS, ...context } });
  const env = {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION,
  };

  // Context: mailDomain (SES domain identity), mailFrom ("Name <address>" in that domain),
  // publicBaseUrl (links sent to clients; default: the HTTP API's own endpoint).
  const mailDomain = String(app.node.tryGetContext('mailDomain') ?? DEFAULT_MAIL_DOMAIN);
  const mailFrom = String(app.node.tryGetContext('mailFrom') ?? `Oui Ensemble <ne-pas-repondre@${mailDomain}>`);
  const publicBaseUrl = app.node.tryGetContext('publicBaseUrl') as string | undefined;

  const stateful = new StatefulStack(app, `${STACK_PREFIX}-Stateful`, {
    env,
    mailDomain,
    description: 'Oui Ensemble back office: tables, documents bucket, user pool, secrets, mail identity (retained)',
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, `${STACK_PREFIX}-Stateless`, {
    env,
    description: 'Oui Ensemble back office: functions, HTTP API, schedules, dashboard, alarms',
    tables: stateful.tables,
    documentsBucket: stateful.documentsBucket,
    secrets: stateful.secrets,
    mailIdentity: stateful.mailIdentity,
    mailFrom,
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    userPool: stateful.userPool,
    userPoolClient: stateful.userPoolClient,
  });

  Tags.of(app).add('project', 'oui-ensemble');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless };
}
