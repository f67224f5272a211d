import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cronExpression, jobs, SCHEDULE_TIMEZONE, type JobDef } from '../../functions/jobs.ts';
import { routeKey, routes, type Access, type RouteDef } from '../../functions/routes.ts';
import { tables, type TableKey } from '../../functions/tables.ts';
import { repoRoot } from '../../infra/constructs/bundling.ts';
import { API_THROTTLE } from '../../infra/stacks/stateless.ts';
import { logicalId, resourcesOf, synthesized } from './synth.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
// Not IAM actions of their own (transactions are authorized item by item), but never granted either.
const ALSO_NEVER_FOR_READ = ['dynamodb:TransactWriteItems', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete', 'dynamodb:*'];
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];

const { stateless, stateful, statelessTemplate: template } = synthesized();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const fnDefs: readonly (Pick<RouteDef, 'fn' | 'handler'> & { tables: Partial<Record<TableKey, Access>> })[] = [...routes, ...jobs];

function fnLogicalId(name: string): string {
  const fn = stateless.functions.get(name);
  if (!fn) throw new Error(`no function ${name} in the stateless stack`);
  return logicalId(stateless, fn);
}

/** Every statement of every IAM policy attached to the function's execution role. */
function roleStatements(name: string): Statement[] {
  const role = logicalId(stateless, stateless.functions.get(name)!.executionRole);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: role })))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (statement: Statement) => [statement.Action].flat();
const resourcesOfStatement = (statement: Statement) => [statement.Resource].flat();

describe('stateless stack: one function per route and per job', () => {
  it('has exactly one Lambda function per route and per job', () => {
    template.resourceCountIs('AWS::Lambda::Function', routes.length + jobs.length);
    expect([...stateless.functions.keys()].sort()).toEqual(fnDefs.map((d) => d.fn).sort());
  });

  it.each(fnDefs.map((d) => [d.fn, d] as const))('%s: nodejs24.x on arm64, traced, with its own log group with retention', (name) => {
    const fn = resources[fnLogicalId(name)]!;
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
    });
    expect(fn.Properties.Environment.Variables).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
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
    expect(Object.keys(variables).filter((v) => allTableVars.includes(v)).sort()).toEqual(expected);
    for (const key of Object.keys(def.tables) as TableKey[]) {
      expect(variables[tables[key].envVar]).toEqual(stateless.resolve(stateful.tables[key].tableName));
    }
  });

  it.each(fnDefs.map((d) => [d.fn, d] as const))('%s: holds exactly the DynamoDB access its table entry allows', (_name, def) => {
    const statements = roleStatements(def.fn);
    const dynamo = statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const actions = new Set(dynamo.flatMap(actionsOf));
    const used = Object.entries(def.tables) as [TableKey, Access][];

    if (used.length === 0) {
      expect(dynamo).toEqual([]);
      return;
    }
    const canWrite = used.some(([, access]) => access === 'write');
    for (const action of READ_ACTIONS) expect(actions).toContain(action);
    for (const action of WRITE_ACTIONS) {
      if (canWrite) expect(actions).toContain(action);
      else expect(actions).not.toContain(action);
    }
    if (!canWrite) for (const action of ALSO_NEVER_FOR_READ) expect(actions).not.toContain(action);

    // Only the tables it uses (and their indexes), each with only the access given to it.
    const allowed = new Map<string, Access>();
    for (const [key, access] of used) {
      const arn = stateless.resolve(stateful.tables[key].tableArn);
      allowed.set(JSON.stringify(arn), access);
      allowed.set(JSON.stringify({ 'Fn::Join': ['', [arn, '/index/*']] }), access);
    }
    for (const statement of dynamo) {
      for (const resource of resourcesOfStatement(statement)) {
        const access = allowed.get(JSON.stringify(resource));
        expect(access, `${def.fn} is granted ${JSON.stringify(resource)}`).toBeDefined();
        if (access === 'read') for (const action of WRITE_ACTIONS) expect(actionsOf(statement)).not.toContain(action);
      }
    }
  });

  it.each(fnDefs.map((d) => [d.fn, d] as const))('%s: its role holds nothing beyond its tables, its logs and X-Ray', (name) => {
    const fn = stateless.functions.get(name)!;
    const services = new Set(roleStatements(name).flatMap(actionsOf).map((a) => a.split(':')[0]));
    expect([...services].sort()).toEqual(['logs', 'xray', ...(Object.keys(fnDefs.find((d) => d.fn === name)!.tables).length ? ['dynamodb'] : [])].sort());
    const logs = roleStatements(name).filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
    for (const statement of logs) {
      expect(resourcesOfStatement(statement)).toEqual([{ 'Fn::GetAtt': [logicalId(stateless, fn.functionLogGroup), 'Arn'] }]);
    }
    const role = resources[logicalId(stateless, fn.executionRole)]!;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('stateless stack: HTTP API', () => {
  const [authorizerId, authorizer] = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer')[0]!;

  it('has one JWT authorizer: the user pool as issuer, the console client as audience', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [stateless.resolve(stateful.userPoolClient.userPoolClientId)],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-3.amazonaws.com/', stateless.resolve(stateful.userPool.userPoolId)]] },
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
    expect(stage.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: API_THROTTLE.burstLimit, ThrottlingRateLimit: API_THROTTLE.rateLimit });
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

  it.each((jobs as readonly JobDef[]).map((j) => [j.fn, j] as const))('%s: daily at its time, Europe/Paris, invoking its function', (_name, job) => {
    const matching = schedules.filter(([, s]) => JSON.stringify(s.Properties.Target.Arn) === JSON.stringify({ 'Fn::GetAtt': [fnLogicalId(job.fn), 'Arn'] }));
    expect(matching).toHaveLength(1);
    const props = matching[0]![1].Properties;
    expect(SCHEDULE_TIMEZONE).toBe('Europe/Paris');
    expect(props).toMatchObject({
      ScheduleExpression: cronExpression(job),
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      Target: { RetryPolicy: { MaximumRetryAttempts: 2 } },
    });
  });

  it.each((jobs as readonly JobDef[]).map((j) => [j.fn, j] as const))('%s: receives the scheduled-event envelope of events/scheduler', (_name, job) => {
    const sample = JSON.parse(readFileSync(path.join(repoRoot, 'events/scheduler/publish-impact-metrics.json'), 'utf8')) as Record<string, unknown>;
    const [, schedule] = schedules.find(([, s]) => JSON.stringify(s.Properties.Target.Arn).includes(fnLogicalId(job.fn)))!;
    const input = JSON.stringify(stateless.resolve(schedule.Properties.Target.Input));
    for (const key of Object.keys(sample)) expect(input).toContain(`\\"${key}\\":`);
    for (const attribute of ['<aws.scheduler.execution-id>', '<aws.scheduler.scheduled-time>', '<aws.scheduler.schedule-arn>']) {
      expect(input).toContain(attribute);
    }
  });
});

describe('stateless stack: alarms and dashboard', () => {
  const topicId = logicalId(stateless, stateless.alarmTopic);

  it('has an encrypted alarm topic that requires TLS', () => {
    const topic = resources[topicId]!;
    const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resources[keyId]!.Type).toBe('AWS::KMS::Key');
    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    const policies = resourcesOf(template, 'AWS::SNS::TopicPolicy')
      .filter(([, p]) => JSON.stringify(p.Properties.Topics) === JSON.stringify([{ Ref: topicId }]));
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Effect: string; Condition?: unknown }[]);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('alarms on any function error (one alarm per function) and on the API 5xx rate, all notifying the topic', () => {
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(stateless.functions.size + 1);
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    for (const name of stateless.functions.keys()) {
      expect(alarms.some(([, a]) => a.Properties.MetricName === 'Errors'
        && JSON.stringify(a.Properties.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: fnLogicalId(name) } }]))).toBe(true);
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
    for (const name of stateless.functions.keys()) expect(body).toContain(fnLogicalId(name));
  });
});
