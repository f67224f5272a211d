import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consumers, relay } from '../../functions/consumers.ts';
import { cronExpression, jobs, SCHEDULE_TIMEZONE, type JobDef } from '../../functions/jobs.ts';
import { routeKey, routes, secrets, type Capabilities, type RouteDef, type SecretKey, type TableAccess } from '../../functions/routes.ts';
import { tables, type TableKey } from '../../functions/tables.ts';
import { repoRoot } from '../../infra/constructs/bundling.ts';
import { mailAddress, PDF_ASSETS_DIR } from '../../infra/constructs/function.ts';
import { API_THROTTLE, contextOf } from '../../infra/stacks/stateless.ts';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { logicalId, resourcesOf, synthesized } from './synth.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];
// Not IAM actions of their own (transactions are authorized item by item), but never granted either.
/** No function may Scan (every access pattern is a Get or a Query), batch-write or use PartiQL. */
const NEVER = [
  'dynamodb:Scan',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:*',
];
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'];

const { stateless, stateful, statelessTemplate: template, assembly, resolveStateless } = synthesized();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const fnDefs: readonly (Capabilities & Pick<RouteDef, 'fn' | 'handler'> & { tables: Partial<Record<TableKey, TableAccess>> })[] = [
  ...routes,
  ...jobs,
];

function fnLogicalId(name: string): string {
  const fn = stateless.functions.get(name);
  if (!fn) throw new Error(`no function ${name} in the stateless stack`);
  return logicalId(stateless, fn);
}

/** Every statement of every IAM policy attached to the function's execution role. */
function roleStatements(name: string): Statement[] {
  const role = logicalId(stateless, stateless.functions.get(name)!.executionRole);
  return Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: role })),
    )
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (statement: Statement) => [statement.Action].flat();
const resourcesOfStatement = (statement: Statement) => [statement.Resource].flat();

describe('stateless stack: split into nested stacks under the CloudFormation limit', () => {
  const count = (stack: Stack) => Object.keys(Template.fromStack(stack).toJSON().Resources ?? {}).length;
  const defs = [...routes, ...jobs];

  it('keeps each function in the nested stack of its context (the folder of its handler), events apart', () => {
    for (const def of defs) expect(stateless.functions.get(def.fn)!.stack, def.fn).toBe(stateless.nestedStacks.get(contextOf(def)));
    for (const c of [relay, ...consumers]) expect(stateless.functions.get(c.fn)!.stack, c.fn).toBe(stateless.nestedStacks.get('events'));
    expect([...stateless.nestedStacks.keys()].sort()).toEqual([...new Set([...defs.map(contextOf), 'events'])].sort());
  });

  it('leaves every stack well under the 500 resources a stack may hold (room for a context to grow)', () => {
    const counts = Object.fromEntries([['stateless', count(stateless)], ...[...stateless.nestedStacks].map(([k, n]) => [k, count(n)])]);
    for (const [name, resources] of Object.entries(counts))
      expect(resources, `${name}: ${JSON.stringify(counts)}`).toBeLessThanOrEqual(400);
  });
});

describe('stateless stack: one function per route and per job', () => {
  it('has exactly one Lambda function per route, per job, per event consumer, and the event relay', () => {
    template.resourceCountIs('AWS::Lambda::Function', routes.length + jobs.length + consumers.length + 1);
    // Relay and consumers: test/infra/events.test.ts.
    expect([...stateless.functions.keys()].sort()).toEqual([...fnDefs.map((d) => d.fn), relay.fn, ...consumers.map((c) => c.fn)].sort());
  });

  it.each(fnDefs.map((d) => [d.fn, d] as const))('%s: nodejs24.x on arm64, traced, with its own log group with retention', (name, def) => {
    const fn = resources[fnLogicalId(name)]!;
    // Jobs 5 minutes; routes rendering PDFs or calling Stripe API Gateway's 29 s; the others 10 s.
    const isJob = jobs.some((j) => j.fn === name);
    const slow = def.pdf || def.secrets?.some((key) => key.startsWith('stripe'));
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: isJob ? 300 : slow ? 29 : 10,
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
    });
    // Source maps are read when an error is logged, not by Node at every cold start (functions/shared/source-stack.ts).
    expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    expect(fn.Properties.Environment.Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: expect.any(String),
      POWERTOOLS_METRICS_NAMESPACE: 'OuiEnsemble',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    const logGroupRef = fn.Properties.LoggingConfig?.LogGroup as { Ref: string };
    expect(logGroupRef?.Ref).toBeDefined();
    const logGroup = resources[logGroupRef.Ref]!;
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(30);
  });

  it.each(fnDefs.map((d) => [d.fn, d] as const))('%s: receives the names of exactly the tables it uses', (_name, def) => {
    const variables = resources[fnLogicalId(def.fn)]!.Properties.Environment.Variables as Record<string, unknown>;
    const allTableVars: string[] = Object.values(tables).map((t) => t.envVar);
    const expected = (Object.keys(def.tables) as TableKey[]).map((key) => tables[key].envVar).sort();
    expect(
      Object.keys(variables)
        .filter((v) => allTableVars.includes(v))
        .sort(),
    ).toEqual(expected);
    for (const key of Object.keys(def.tables) as TableKey[]) {
      expect(variables[tables[key].envVar]).toEqual(resolveStateless(stateful.tables[key].tableName));
    }
  });

  it.each(fnDefs.map((d) => [d.fn, d] as const))('%s: holds exactly the DynamoDB access its table entry allows', (_name, def) => {
    const statements = roleStatements(def.fn);
    const dynamo = statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const used = Object.entries(def.tables) as [TableKey, TableAccess][];
    if (used.length === 0) {
      expect(dynamo).toEqual([]);
      return;
    }
    // What each (resource → actions) should be, from the route table alone.
    const expected = new Map<string, string[]>();
    for (const [key, access] of used) {
      const arn = resolveStateless(stateful.tables[key].tableArn);
      const indexes = { 'Fn::Join': ['', [arn, '/index/*']] };
      if (access === 'describe') expected.set(JSON.stringify(arn), ['dynamodb:DescribeTable']);
      else if (typeof access === 'object')
        expected.set(JSON.stringify({ 'Fn::Join': ['', [arn, `/index/${access.queryIndex}`]] }), ['dynamodb:Query']);
      else {
        const actions = access === 'write' ? [...READ_ACTIONS, ...WRITE_ACTIONS] : [...READ_ACTIONS];
        expected.set(JSON.stringify(arn), actions);
        expected.set(JSON.stringify(indexes), actions);
      }
    }
    const granted = new Map<string, string[]>();
    for (const statement of dynamo) {
      for (const resource of resourcesOfStatement(statement)) {
        const key = JSON.stringify(resource);
        granted.set(key, [...(granted.get(key) ?? []), ...actionsOf(statement)]);
      }
    }
    expect(new Set(granted.keys())).toEqual(new Set(expected.keys()));
    for (const [resource, actions] of expected)
      expect([...new Set(granted.get(resource))].sort(), `${def.fn} on ${resource}`).toEqual([...actions].sort());
    for (const action of NEVER) expect(dynamo.flatMap(actionsOf)).not.toContain(action);
  });

  it.each(fnDefs.map((d) => [d.fn, d] as const))(
    '%s: its role holds nothing beyond its tables, capabilities, logs and X-Ray',
    (name, def) => {
      const fn = stateless.functions.get(name)!;
      const services = new Set(
        roleStatements(name)
          .flatMap(actionsOf)
          .map((a) => a.split(':')[0]),
      );
      expect([...services].sort()).toEqual(
        [
          'logs',
          'xray',
          ...(Object.keys(def.tables).length ? ['dynamodb'] : []),
          ...(def.documents ? ['s3'] : []),
          ...(def.mail ? ['ses'] : []),
          ...(def.secrets?.length ? ['secretsmanager'] : []),
        ].sort(),
      );
      // Its own log group; the metering logs' Logs Insights statements are checked apart (meteringLogs).
      const insights = new Set(['logs:StartQuery', 'logs:GetQueryResults', 'logs:StopQuery']);
      const logs = roleStatements(name).filter(
        (s) => actionsOf(s).some((a) => a.startsWith('logs:')) && !actionsOf(s).every((a) => insights.has(a)),
      );
      for (const statement of logs) {
        expect(resourcesOfStatement(statement)).toEqual([{ 'Fn::GetAtt': [logicalId(stateless, fn.functionLogGroup), 'Arn'] }]);
      }
      const role = resources[logicalId(stateless, fn.executionRole)]!;
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    },
  );
});

describe('stateless stack: HTTP API', () => {
  const [authorizerId, authorizer] = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer')[0]!;

  it('has one JWT authorizer: the user pool as issuer, the console client as audience', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [resolveStateless(stateful.userPoolClient.userPoolClientId)],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-3.amazonaws.com/', resolveStateless(stateful.userPool.userPoolId)]] },
      },
    });
  });

  it('has exactly the routes of the route table', () => {
    const keys = resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: authorization and integration as in the route table', (key, route) => {
    const [, resource] = resourcesOf(template, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === key)!;
    if (route.auth === 'public') {
      expect(resource.Properties.AuthorizationType).toBe('NONE');
      expect(resource.Properties.AuthorizerId).toBeUndefined();
    } else {
      expect(resource.Properties.AuthorizationType).toBe('JWT');
      expect(resource.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
    }
    const integrationRef = (resource.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'][1][1].Ref;
    const integration = resources[integrationRef]!;
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [fnLogicalId(route.fn), 'Arn'] },
    });
  });

  it('logs every request of the default stage as JSON without personal data, and throttles it', () => {
    const stages = resourcesOf(template, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const stage = stages[0]![1].Properties;
    expect(stage.StageName).toBe('$default');
    expect(stage.DefaultRouteSettings).toEqual({
      ThrottlingBurstLimit: API_THROTTLE.burstLimit,
      ThrottlingRateLimit: API_THROTTLE.rateLimit,
    });
    const format = JSON.parse(stage.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
    for (const value of Object.values(format)) expect(value).not.toMatch(/sourceIp|userAgent|claims|identity|path/i);
    const logGroup = resources[(stage.AccessLogSettings.DestinationArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]]!;
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

describe('stateless stack: schedules', () => {
  const schedules = resourcesOf(template, 'AWS::Scheduler::Schedule');

  it('has one schedule per job', () => {
    expect(schedules).toHaveLength(jobs.length);
  });

  it.each((jobs as readonly JobDef[]).map((j) => [j.fn, j] as const))(
    '%s: daily at its time, Europe/Paris, invoking its function',
    (_name, job) => {
      const matching = schedules.filter(
        ([, s]) => JSON.stringify(s.Properties.Target.Arn) === JSON.stringify({ 'Fn::GetAtt': [fnLogicalId(job.fn), 'Arn'] }),
      );
      expect(matching).toHaveLength(1);
      const props = matching[0]![1].Properties;
      expect(SCHEDULE_TIMEZONE).toBe('Europe/Paris');
      expect(props).toMatchObject({
        ScheduleExpression: cronExpression(job),
        ScheduleExpressionTimezone: 'Europe/Paris',
        State: 'ENABLED',
        Target: { RetryPolicy: { MaximumRetryAttempts: 2 } },
      });
    },
  );

  it.each((jobs as readonly JobDef[]).map((j) => [j.fn, j] as const))(
    '%s: receives the scheduled-event envelope of events/scheduler',
    (_name, job) => {
      const sample = JSON.parse(readFileSync(path.join(repoRoot, 'events/scheduler/publish-impact-metrics.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const [, schedule] = schedules.find(([, s]) => JSON.stringify(s.Properties.Target.Arn).includes(fnLogicalId(job.fn)))!;
      const input = JSON.stringify(stateless.resolve(schedule.Properties.Target.Input));
      for (const key of Object.keys(sample)) expect(input).toContain(`\\"${key}\\":`);
      for (const attribute of ['<aws.scheduler.execution-id>', '<aws.scheduler.scheduled-time>', '<aws.scheduler.schedule-arn>']) {
        expect(input).toContain(attribute);
      }
    },
  );
});

describe('stateless stack: alarms and dashboard', () => {
  const topicId = logicalId(stateless, stateless.alarmTopic);

  it('has an encrypted alarm topic that requires TLS', () => {
    const topic = resources[topicId]!;
    const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resources[keyId]!.Type).toBe('AWS::KMS::Key');
    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    const policies = resourcesOf(template, 'AWS::SNS::TopicPolicy').filter(
      ([, p]) => JSON.stringify(p.Properties.Topics) === JSON.stringify([{ Ref: topicId }]),
    );
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Effect: string; Condition?: unknown }[]);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('alarms on any function error (one alarm per function), on the API 5xx rate, on unexpected 500s and on abandoned refunds, all notifying the topic', () => {
    // The domain events' own alarms (failure queue, relay lag): test/infra/events.test.ts.
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(([id]) => !id.startsWith('Events'));
    expect(alarms).toHaveLength(stateless.functions.size + 4);
    const unexpected = alarms.find(([, a]) => a.Properties.MetricName === 'UnexpectedErrors');
    expect(unexpected?.[1].Properties).toMatchObject({
      Namespace: 'OuiEnsemble',
      Threshold: 1,
      Dimensions: [{ Name: 'service', Value: 'oui-ensemble' }],
    });
    for (const metric of ['RefundAbandoned', 'ManualRefundDue']) {
      const alarm = alarms.find(([, a]) => a.Properties.MetricName === metric);
      expect(alarm?.[1].Properties, metric).toMatchObject({
        Namespace: 'OuiEnsemble',
        Threshold: 1,
        Dimensions: [{ Name: 'service', Value: 'oui-ensemble' }],
      });
    }
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    for (const name of stateless.functions.keys()) {
      expect(
        alarms.some(
          ([, a]) =>
            a.Properties.MetricName === 'Errors' &&
            JSON.stringify(a.Properties.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: fnLogicalId(name) } }]),
        ),
      ).toBe(true);
    }
    const rate = alarms.find(([, a]) => Array.isArray(a.Properties.Metrics));
    expect(JSON.stringify(rate?.[1].Properties.Metrics)).toContain('5xx');
  });

  it('has a dashboard with API, per-function and per-ETD business widgets', () => {
    const dashboards = resourcesOf(template, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]![1].Properties.DashboardBody);
    for (const needle of ['4xx', '5xx', 'p50', 'p99', 'Errors', 'Duration', 'Throttles', "SEARCH('{OuiEnsemble,Etd,service}'"]) {
      expect(body).toContain(needle);
    }
    // The network's accounts per territory (functions/network/).
    for (const metric of ['TerritoryCostEuros', 'CostPerActiveEntrepreneurEuros', 'RedevanceEuros']) {
      expect(body).toMatch(new RegExp(`MetricName=\\W+${metric}\\W`));
    }
    for (const name of stateless.functions.keys()) expect(body).toContain(fnLogicalId(name));
  });
});

describe('stateless stack: the metering logs, for the daily cost job only', () => {
  const prefix = `/oui-ensemble/${stateless.stackName}/`;

  it('names every function log group under one prefix', () => {
    for (const [name, fn] of stateless.functions) {
      expect(resources[logicalId(stateless, fn.functionLogGroup)]!.Properties.LogGroupName, name).toBe(`${prefix}${name}`);
    }
  });

  it.each([...routes, ...jobs].map((d) => [d.fn, Boolean((d as Capabilities).meteringLogs)] as const))(
    '%s: Logs Insights and METERING_LOG_GROUP_PREFIX only when granted meteringLogs (%s)',
    (name, granted) => {
      const statements = roleStatements(name).filter((s) =>
        actionsOf(s).some((a) => a === 'logs:StartQuery' || a === 'logs:GetQueryResults'),
      );
      const variables = resources[fnLogicalId(name)]!.Properties.Environment.Variables as Record<string, unknown>;
      if (!granted) {
        expect(statements).toEqual([]);
        expect(variables.METERING_LOG_GROUP_PREFIX).toBeUndefined();
        return;
      }
      expect(variables.METERING_LOG_GROUP_PREFIX).toBe(prefix);
      const start = statements.find((s) => actionsOf(s).includes('logs:StartQuery'))!;
      expect(actionsOf(start)).toEqual(['logs:StartQuery']);
      expect(JSON.stringify(resourcesOfStatement(start))).toContain(`:log-group:${prefix}*`);
      const results = statements.find((s) => actionsOf(s).includes('logs:GetQueryResults'))!;
      expect(actionsOf(results).sort()).toEqual(['logs:GetQueryResults', 'logs:StopQuery']);
      expect(resourcesOfStatement(results)).toEqual(['*']);
    },
  );
});

describe('stateless stack: capabilities of the route and job tables, granted exactly', () => {
  const variablesOf = (name: string) => resources[fnLogicalId(name)]!.Properties.Environment.Variables as Record<string, unknown>;
  const statementsFor = (name: string, service: string) =>
    roleStatements(name).filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a.startsWith(`${service}:`)));
  const bucketObjects = { 'Fn::Join': ['', [resolveStateless(stateful.documentsBucket.bucketArn), '/*']] };

  it('the tables do grant some of each capability (the checks below are live)', () => {
    for (const capability of ['documents', 'mail', 'pdf', 'secrets'] as const) {
      expect(
        fnDefs.some((d) => d[capability]),
        capability,
      ).toBe(true);
      expect(
        fnDefs.some((d) => !d[capability]),
        capability,
      ).toBe(true);
    }
  });

  it.each(fnDefs.map((d) => [d.fn, d] as const))(
    '%s: documents: no S3 access without it; GetObject (read) or Get+PutObject (write) on the objects',
    (name, def) => {
      const s3 = statementsFor(name, 's3');
      const variables = variablesOf(name);
      if (!def.documents) {
        expect(s3).toEqual([]);
        expect(variables.DOCUMENTS_BUCKET).toBeUndefined();
        return;
      }
      expect(variables.DOCUMENTS_BUCKET).toEqual(resolveStateless(stateful.documentsBucket.bucketName));
      const expected = def.documents === 'write' ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'];
      expect(s3.flatMap(actionsOf).sort()).toEqual(expected);
      for (const statement of s3) expect(resourcesOfStatement(statement)).toEqual([bucketObjects]);
    },
  );

  it.each(fnDefs.map((d) => [d.fn, d] as const))(
    '%s: mail: ses:SendEmail only with it, through the domain identity, from MAIL_FROM only',
    (name, def) => {
      const ses = statementsFor(name, 'ses');
      const variables = variablesOf(name);
      if (!def.mail) {
        expect(ses).toEqual([]);
        expect(variables.MAIL_FROM).toBeUndefined();
        return;
      }
      expect(variables.MAIL_FROM).toBe('Oui Ensemble <ne-pas-repondre@oui-ensemble.fr>');
      expect(ses).toHaveLength(1);
      expect(ses[0]).toMatchObject({
        Action: 'ses:SendEmail',
        Resource: resolveStateless(stateful.mailIdentity.emailIdentityArn),
        Condition: { StringEquals: { 'ses:FromAddress': mailAddress(variables.MAIL_FROM as string) } },
      });
    },
  );

  it.each(fnDefs.map((d) => [d.fn, d] as const))(
    '%s: secrets: reads exactly its secrets, gets their ARN and never a value',
    (name, def) => {
      const statements = statementsFor(name, 'secretsmanager');
      const variables = variablesOf(name);
      const own = (def.secrets ?? []) as readonly SecretKey[];
      const granted = statements
        .flatMap(resourcesOfStatement)
        .map((r) => JSON.stringify(r))
        .sort();
      expect(granted).toEqual(own.map((key) => JSON.stringify(resolveStateless(stateful.secrets[key].secretArn))).sort());
      for (const statement of statements)
        expect(actionsOf(statement).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
      for (const key of Object.keys(secrets) as SecretKey[]) {
        const idVar = `SECRET_${secrets[key].envVar}_ID`;
        if (own.includes(key)) expect(variables[idVar]).toEqual(resolveStateless(stateful.secrets[key].secretArn));
        else expect(variables[idVar]).toBeUndefined();
        expect(variables[secrets[key].envVar], 'a secret value in the environment').toBeUndefined();
      }
    },
  );

  it.each(fnDefs.map((d) => [d.fn, d] as const))('%s: pdf: the PDF assets layer and PDF_ASSETS_DIR only with it', (name, def) => {
    const fn = resources[fnLogicalId(name)]!;
    if (!def.pdf) {
      expect(fn.Properties.Layers).toBeUndefined();
      expect(variablesOf(name).PDF_ASSETS_DIR).toBeUndefined();
      return;
    }
    expect(fn.Properties.Layers).toEqual([{ Ref: logicalId(stateless, stateless.pdfAssets!) }]);
    expect(variablesOf(name).PDF_ASSETS_DIR).toBe(PDF_ASSETS_DIR);
  });

  it.each(fnDefs.map((d) => [d.fn, d] as const))('%s: PUBLIC_BASE_URL is the HTTP API endpoint', (name) => {
    expect(variablesOf(name).PUBLIC_BASE_URL).toEqual({ 'Fn::GetAtt': [logicalId(stateless, stateless.api), 'ApiEndpoint'] });
  });

  it('builds the PDF assets layer for Node.js 24 on arm64 from layers/ with pdf-assets/ alone at its root (so /opt/pdf-assets)', () => {
    const layers = resourcesOf(template, 'AWS::Lambda::LayerVersion');
    expect(layers).toHaveLength(1);
    const [, layer] = layers[0]!;
    expect(layer.Properties).toMatchObject({ CompatibleRuntimes: ['nodejs24.x'], CompatibleArchitectures: ['arm64'] });
    const hash = (layer.Properties.Content.S3Key as string).replace(/\.zip$/, '');
    const staged = path.join(assembly.directory, `asset.${hash}`);
    expect(existsSync(staged), staged).toBe(true);
    expect(readdirSync(staged)).toEqual(['pdf-assets']);
    expect(PDF_ASSETS_DIR).toBe('/opt/pdf-assets');
  });
});
