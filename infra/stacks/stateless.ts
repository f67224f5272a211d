/**
 * What can be redeployed at will: one function per route of functions/routes.ts and per job of
 * functions/jobs.ts, the HTTP API (JWT authorizer on the user pool), the schedules, and the
 * operations dashboard with its alarms. Stateful resources arrive as props.
 *
 * A CloudFormation stack holds at most 500 resources and each function brings about eight (role,
 * policy, log group, function, alarm, and route, integration and permission or schedule and its
 * role). So the functions of each context live in a nested stack of their own (`<Context>Functions`,
 * the context being the folder of the handler under functions/), with their routes, schedules and
 * alarms; the domain events (bus, relay, consumers) in `EventsFunctions`. This stack keeps what they
 * share: the HTTP API and its stage and authorizer, the alarm topic, the PDF assets layer, the
 * dashboard. It is still deployed as one unit (`cdk deploy OuiEnsemble-Stateless`).
 */
import path from 'node:path';
import { Aws, CfnOutput, Duration, NestedStack, RemovalPolicy, Stack, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { grantsOf } from '../../functions/grants.ts';
import { jobs, cronExpression, SCHEDULE_TIMEZONE, scheduleLabel, type JobDef } from '../../functions/jobs.ts';
import { routes, routeKey, type Capabilities, type RouteDef, type SecretKey, type TableAccess } from '../../functions/routes.ts';
import { tables, type TableKey } from '../../functions/tables.ts';
import { repoRoot } from '../constructs/bundling.ts';
import { HouseFunction, METRICS_NAMESPACE, acknowledgeWildcardResource, functionLogGroupPrefix } from '../constructs/function.ts';
import { DomainEvents } from '../constructs/events.ts';
import { consumers } from '../../functions/consumers.ts';

export interface StatelessStackProps extends StackProps {
  readonly tables: Readonly<Record<TableKey, ITableV2>>;
  readonly documentsBucket: IBucket;
  /** The secrets of routes.ts `secrets`, by key. */
  readonly secrets: Readonly<Record<SecretKey, ISecret>>;
  /** SES identity the functions with `mail` may send through, and their From mailbox. */
  readonly mailIdentity: IEmailIdentity;
  readonly mailFrom: string;
  /** Base URL of the links sent to clients; default: the HTTP API's endpoint. */
  readonly publicBaseUrl?: string;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
}

/** The folder whose content becomes the PDF assets layer: it holds `pdf-assets/`, so /opt/pdf-assets. */
export const LAYERS_DIR = path.join(repoRoot, 'layers');

/** API Gateway stage limits: a back office, not a public site. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** One JSON line per request; no source IP, user agent, path or claim (no personal data). */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  responseLength: '$context.responseLength',
  protocol: '$context.protocol',
  error: '$context.error.message',
  authorizerError: '$context.authorizer.error',
} as const;

/** The context a function entry belongs to: the folder of its handler under functions/ (`functions/quotes/…` → quotes). */
export function contextOf(def: { readonly handler: string }): string {
  const match = /^functions\/([a-z][a-z0-9-]*)\//.exec(def.handler);
  if (!match?.[1]) throw new Error(`${def.handler}: a handler lives in functions/<context>/`);
  return match[1];
}

/** The construct id of a context's nested stack: `quotes` → `QuotesFunctions`. */
export const nestedStackId = (context: string): string =>
  `${context
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')}Functions`;

export class StatelessStack extends Stack {
  /** Functions by `fn` name (routes and jobs). */
  readonly functions: ReadonlyMap<string, HouseFunction>;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly schedules: ReadonlyMap<string, Schedule>;
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;
  /** The PDF assets layer (fonts, logo), attached to the functions with `pdf` only. */
  readonly pdfAssets: LayerVersion | undefined;
  /** The sales stream's relay, the event bus and the consumers of functions/consumers.ts. */
  readonly events: DomainEvents;
  /** The nested stack of each context's functions (and `events` for the domain events), by context. */
  readonly nestedStacks: ReadonlyMap<string, NestedStack>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const functions = new Map<string, HouseFunction>();

    // Only pdf-assets/ goes into the layer (a layer's content lands in /opt: /opt/pdf-assets).
    const needsPdf = [...routes, ...jobs, ...consumers].some((def) => (def as Capabilities).pdf);
    this.pdfAssets = needsPdf
      ? new LayerVersion(this, 'PdfAssets', {
          code: Code.fromAsset(LAYERS_DIR, { exclude: ['*', '!pdf-assets', '!pdf-assets/**', '**/.gitkeep'] }),
          compatibleRuntimes: [Runtime.NODEJS_24_X],
          compatibleArchitectures: [Architecture.ARM_64],
          description: 'Oui Ensemble PDF assets: embedded fonts and logo, in /opt/pdf-assets',
        })
      : undefined;

    // --- Alarms ---------------------------------------------------------------------------
    // CloudWatch cannot publish to a topic under the AWS managed SNS key: a customer key that
    // CloudWatch may use.
    const alarmKey = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Oui Ensemble alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    alarmKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        // Only CloudWatch alarms of this account may use the key.
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
        },
      }),
    );
    this.alarmTopic = new Topic(this, 'Alarms', { displayName: 'Oui Ensemble alarms', masterKey: alarmKey, enforceSSL: true });
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` } },
      }),
    );
    const notify = new SnsAction(this.alarmTopic);

    const nestedStacks = new Map<string, NestedStack>();
    const stackOf = (context: string): NestedStack => {
      let nested = nestedStacks.get(context);
      if (!nested) {
        nested = new NestedStack(this, nestedStackId(context), { description: `Oui Ensemble back office: the ${context} functions` });
        nestedStacks.set(context, nested);
      }
      return nested;
    };
    this.nestedStacks = nestedStacks;
    const period = Duration.minutes(5);

    // Every function's log group is named under one prefix: the daily cost job queries them all by it.
    const logGroupPrefix = functionLogGroupPrefix(this.stackName);

    const makeFunction = (
      def: Capabilities & { fn: string; handler: string; tables: Partial<Record<TableKey, TableAccess>> },
      description: string,
      timeout?: Duration,
      scope: Construct = stackOf(contextOf(def)),
    ) => {
      if (functions.has(def.fn)) throw new Error(`function name ${def.fn} is used twice (routes and jobs share one namespace)`);
      // Rendering a PDF after waiting for a number series, or calling Stripe with its retries, needs
      // more than the default: up to API Gateway's own 29 s, so a refusal is still a proper answer.
      const slow = def.pdf || def.secrets?.some((key) => key.startsWith('stripe'));
      const fn = new HouseFunction(scope, def.fn, {
        entry: def.handler,
        logGroupPrefix,
        description,
        timeout: timeout ?? (slow ? Duration.seconds(29) : undefined),
      });
      if (def.pdf) fn.addEnvironment('SERIES_WAIT_LIMIT_MS', '20000'); // functions/shared/series.ts
      // The grants of the route or job entry (functions/grants.ts): exactly these, nothing by default.
      fn.bindGrants(grantsOf(def), { ...props, logGroupPrefix, ...(this.pdfAssets ? { pdfAssets: this.pdfAssets } : {}) });
      // Links in e-mails and client pages are built on it; no function depends on it otherwise.
      fn.addEnvironment('PUBLIC_BASE_URL', props.publicBaseUrl?.replace(/\/+$/, '') ?? this.api.apiEndpoint);
      const alarm = new Alarm(scope, `${def.fn}Errors`, {
        alarmDescription: `${def.fn} reported a function error.`,
        metric: fn.metricErrors({ period, statistic: Stats.SUM }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      functions.set(def.fn, fn);
      return fn;
    };

    // --- HTTP API -------------------------------------------------------------------------
    this.api = new HttpApi(this, 'Api', {
      apiName: 'oui-ensemble',
      description: 'Oui Ensemble back office',
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    // ID tokens of the console client: `aud` is the client id; they carry cognito:groups and
    // custom:etd (functions/shared/auth.ts). Roles are checked by the handlers.
    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${props.userPool.userPoolId}`;
    const jwt = new HttpJwtAuthorizer('Cognito', issuer, {
      jwtAudience: [props.userPoolClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    const none = new HttpNoneAuthorizer();

    for (const route of routes as readonly RouteDef[]) {
      const fn = makeFunction(route, `${routeKey(route)}: ${route.summary}`);
      const httpRoute = new HttpRoute(Stack.of(fn), `Route-${route.fn}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${route.fn}Integration`, fn),
        authorizer: route.auth === 'public' ? none : jwt,
      });
      if (route.auth === 'public') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is public by design in the route table (functions/routes.ts): ${route.summary}.`,
        });
      }
    }

    // --- Scheduled jobs (EventBridge Scheduler, Europe/Paris) --------------------------------
    const schedules = new Map<string, Schedule>();
    for (const job of jobs as readonly JobDef[]) {
      const fn = makeFunction(job, `${scheduleLabel(job)} ${SCHEDULE_TIMEZONE}: ${job.summary}`, Duration.minutes(5));
      const role = new Role(Stack.of(fn), `${job.fn}SchedulerRole`, {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
        description: `EventBridge Scheduler invoking ${job.fn}`,
      });
      const schedule = new Schedule(Stack.of(fn), `${job.fn}Schedule`, {
        description: job.summary.slice(0, 512),
        schedule: ScheduleExpression.expression(cronExpression(job), TimeZone.of(SCHEDULE_TIMEZONE)),
        target: new LambdaInvoke(fn, {
          role,
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
          // EventBridge's scheduled-event envelope, as the local scheduler builds it
          // (infra/local/scheduler.ts) and as events/scheduler/*.json show it.
          input: ScheduleTargetInput.fromObject({
            version: '0',
            id: ContextAttribute.executionId,
            'detail-type': 'Scheduled Event',
            source: 'aws.scheduler',
            account: Aws.ACCOUNT_ID,
            time: ContextAttribute.scheduledTime,
            region: Aws.REGION,
            resources: [ContextAttribute.scheduleArn],
            detail: {},
          }),
        }),
      });
      schedules.set(job.fn, schedule);
      this.node.addValidation({
        validate: () => {
          acknowledgeWildcardResource(
            role,
            fn.functionArn,
            ':*',
            'lambda:InvokeFunction on this one function and its versions/aliases (added by the Scheduler Lambda target).',
          );
          return [];
        },
      });
    }
    this.functions = functions;
    this.schedules = schedules;

    // --- Domain events: sales stream → relay → bus → consumers (infra/constructs/events.ts) ----
    // Before the per-function alarms below, which then cover the relay and the consumers too.
    // Every other table with a stream (functions/tables.ts `stream`) carries its context's outbox too.
    const eventsStack = stackOf('events');
    const otherStreams = Object.fromEntries(
      (Object.keys(tables) as TableKey[])
        .filter((key) => key !== 'sales' && (tables[key] as { stream?: string }).stream)
        .map((key) => [`${tables[key].id}Stream`, props.tables[key]]),
    );
    this.events = new DomainEvents(eventsStack, 'Events', {
      salesTable: props.tables.sales,
      otherStreams,
      makeFunction: (def, description, timeout) => makeFunction(def, description, timeout, eventsStack),
      alarmAction: notify,
    });
    const requests = this.api.metricCount({ period, statistic: Stats.SUM });
    const serverErrors = this.api.metricServerError({ period, statistic: Stats.SUM });
    const serverErrorRate = new MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      label: 'API 5xx rate (%)',
      period,
    });
    const apiAlarm = new Alarm(this, 'Api5xxRate', {
      alarmDescription: 'More than 5% of API requests answered 5xx in two of the last three 5-minute periods.',
      metric: serverErrorRate,
      threshold: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    apiAlarm.addAlarmAction(notify);

    // Counts the code publishes without a territory (service dimension only): each alarms at the
    // first occurrence in five minutes.
    const operatorAlarm = (metricName: string, alarmDescription: string) =>
      new Alarm(this, metricName, {
        alarmDescription,
        metric: new Metric({
          namespace: METRICS_NAMESPACE,
          metricName,
          dimensionsMap: { service: 'oui-ensemble' },
          period,
          statistic: Stats.SUM,
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(notify);
    // HTTP handlers answer an unexpected failure with a 500 problem, so Lambda never counts it as a
    // function error: the problem mapper counts it instead (functions/shared/http.ts).
    operatorAlarm('UnexpectedErrors', 'A handler answered 500 (an unexpected error, logged with its request id).');
    // Money owed to a client that only an operator can now give back: a refund the RetryRefunds job
    // gave up on (functions/payments/refund-retries.ts), and an overpayment received outside Stripe
    // that a credit note leaves to give back (functions/payments/refunds.ts).
    operatorAlarm(
      'RefundAbandoned',
      'A refund failed on every attempt and was abandoned: refund the client by hand (log "refund abandoned" names the invoice).',
    );
    operatorAlarm(
      'ManualRefundDue',
      'A credit note left a client overpaid by a payment received outside Stripe: refund the client by hand (log "overpayment to give back by hand" names the invoice).',
    );

    // --- Dashboard ------------------------------------------------------------------------
    const perFunction = (metric: (fn: HouseFunction) => IMetric) => [...functions.values()].map(metric);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${id}-Operations` });
    this.dashboard.addWidgets(new TextWidget({ markdown: '# Oui Ensemble — API, functions, impact by territory', width: 24, height: 1 }));
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests, 4xx, 5xx',
        width: 8,
        left: [
          requests,
          this.api.metricClientError({ period, statistic: Stats.SUM, label: '4xx' }),
          this.api.metricServerError({ period, statistic: Stats.SUM, label: '5xx' }),
        ],
      }),
      new GraphWidget({
        title: 'API latency',
        width: 8,
        left: [
          this.api.metricLatency({ period, statistic: Stats.percentile(50), label: 'p50' }),
          this.api.metricLatency({ period, statistic: Stats.percentile(99), label: 'p99' }),
        ],
      }),
      new GraphWidget({ title: 'API 5xx rate (%)', width: 8, left: [serverErrorRate] }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Function errors', width: 8, left: perFunction((fn) => fn.metricErrors({ period, statistic: Stats.SUM })) }),
      new GraphWidget({
        title: 'Function duration p99',
        width: 8,
        left: perFunction((fn) => fn.metricDuration({ period, statistic: Stats.percentile(99) })),
      }),
      new GraphWidget({
        title: 'Function throttles',
        width: 8,
        left: perFunction((fn) => fn.metricThrottles({ period, statistic: Stats.SUM })),
      }),
    );
    // Business metrics (functions/shared/observability.ts `businessMetric`): Powertools adds the
    // `service` dimension to the `Etd` one, so the schema is {OuiEnsemble, Etd, service}.
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Business metrics by territory (ETD), daily sum',
        width: 24,
        left: [
          new MathExpression({
            expression: `SEARCH('{${METRICS_NAMESPACE},Etd,service}', 'Sum', 86400)`,
            usingMetrics: {},
            label: '',
            period: Duration.days(1),
          }),
        ],
      }),
    );

    // What each territory costs to run and the redevance it owes (functions/network/): the daily cost
    // job's and the statements' metrics, one line per territory.
    const byTerritory = (metric: string, statistic: 'Sum' | 'Average', period: Duration, label: string) =>
      new MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},Etd,service} MetricName="${metric}"', '${statistic}', ${period.toSeconds()})`,
        usingMetrics: {},
        label,
        period,
      });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Cost per territory (€ per day)',
        width: 8,
        left: [byTerritory('TerritoryCostEuros', 'Sum', Duration.days(1), '')],
      }),
      new GraphWidget({
        title: 'Cost per active entrepreneur (€ per day)',
        width: 8,
        left: [byTerritory('CostPerActiveEntrepreneurEuros', 'Average', Duration.days(1), '')],
      }),
      new GraphWidget({
        title: 'Redevance stated (€ per month)',
        width: 8,
        left: [byTerritory('RedevanceEuros', 'Sum', Duration.days(31), '')],
      }),
    );

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }
}
