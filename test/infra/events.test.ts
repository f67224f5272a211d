/**
 * Domain events in the stacks (infra/constructs/events.ts): the sales table's stream, the relay and
 * its event source mapping, the bus, one rule per consumer of functions/consumers.ts, the failure
 * queue and its alarms, and grants no wider than each function's part.
 */
import { describe, expect, it } from 'vitest';
import { consumers, relay, type ConsumerDef } from '../../functions/consumers.ts';
import { EVENT_SOURCE } from '../../functions/events/catalog.ts';
import type { TableAccess } from '../../functions/routes.ts';
import { tables, type TableKey } from '../../functions/tables.ts';
import { CONSUMER_ASYNC, RELAY_STREAM } from '../../infra/constructs/events.ts';
import { logicalId, resourcesOf, synthesized, type CfnJson } from './synth.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const { stateless, stateful, statelessTemplate: template, statefulTemplate, resolveStateless } = synthesized();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: CfnJson }>;
const events = stateless.events;
const busId = logicalId(stateless, events.bus);
const queueId = logicalId(stateless, events.failures);
const queueArn = { 'Fn::GetAtt': [queueId, 'Arn'] };
/** Every table with a stream (sales, payroll, referrals…): the relay reads each the same way. */
const streamArns = (Object.keys(tables) as TableKey[])
  .filter((key) => 'stream' in tables[key])
  .map((key) => resolveStateless(stateful.tables[key].tableStreamArn));
const fnId = (name: string) => logicalId(stateless, stateless.functions.get(name)!);

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
const actionsOf = (s: Statement) => [s.Action].flat();
const servicesOf = (name: string) =>
  [
    ...new Set(
      roleStatements(name)
        .flatMap(actionsOf)
        .map((a) => a.split(':')[0]),
    ),
  ].sort();
/** Actions granted on each resource (JSON of the resource → sorted actions), for one service. */
function grantedOn(name: string, service: string): Record<string, string[]> {
  const granted: Record<string, string[]> = {};
  for (const s of roleStatements(name).filter((s) => s.Effect === 'Allow')) {
    for (const action of actionsOf(s).filter((a) => a.startsWith(`${service}:`))) {
      for (const resource of [s.Resource].flat()) {
        const key = JSON.stringify(resource);
        granted[key] = [...(granted[key] ?? []), action];
      }
    }
  }
  for (const key of Object.keys(granted)) granted[key] = [...new Set(granted[key])].sort();
  return granted;
}
const SQS_SEND = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];

describe('stateful stack: the sales table streams its new images', () => {
  it('has a NEW_IMAGE stream on the tables that declare one, and none elsewhere', () => {
    const tablesOut = statefulTemplate.toJSON().Resources as Record<string, { Type: string; Properties: CfnJson }>;
    for (const key of Object.keys(tables) as TableKey[]) {
      const table = tablesOut[logicalId(stateful, stateful.tables[key])]!;
      expect(table.Properties.StreamSpecification, key).toEqual('stream' in tables[key] ? { StreamViewType: 'NEW_IMAGE' } : undefined);
    }
    expect(stateful.tables.sales.tableStreamArn).toBeDefined();
  });
});

describe('the relay', () => {
  it('reads every table stream (sales and each context outbox): inserted outbox items only, bounded retries, bisect, batch item failures, failures to the queue', () => {
    const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping');
    expect(streamArns.length).toBeGreaterThanOrEqual(2);
    expect((Object.keys(tables) as TableKey[]).filter((key) => 'stream' in tables[key])).toEqual(
      expect.arrayContaining(['sales', 'payroll', 'referrals']),
    );
    expect(mappings).toHaveLength(streamArns.length);
    expect(mappings.map(([, m]) => JSON.stringify(m.Properties.EventSourceArn)).sort()).toEqual(
      streamArns.map((a) => JSON.stringify(a)).sort(),
    );
    for (const [, mapping] of mappings) {
      expect(mapping.Properties).toMatchObject({
        FunctionName: { Ref: fnId(relay.fn) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: RELAY_STREAM.batchSize,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: RELAY_STREAM.retryAttempts,
        MaximumRecordAgeInSeconds: 86_400,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: queueArn } },
      });
      expect(RELAY_STREAM.retryAttempts).toBeGreaterThan(0);
      const patterns = (mapping.Properties.FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern));
      expect(patterns).toEqual([{ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['event'] } } } }]);
    }
  });

  it('may read those streams, put events on that bus and report to the failure queue: nothing else', () => {
    expect(servicesOf(relay.fn)).toEqual(['dynamodb', 'events', 'logs', 'sqs', 'xray']);
    expect(grantedOn(relay.fn, 'dynamodb')).toEqual(
      Object.fromEntries(
        streamArns.map((arn) => [
          JSON.stringify(arn),
          ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
        ]),
      ),
    );
    expect(grantedOn(relay.fn, 'events')).toEqual({ [JSON.stringify({ 'Fn::GetAtt': [busId, 'Arn'] })]: ['events:PutEvents'] });
    expect(grantedOn(relay.fn, 'sqs')).toEqual({ [JSON.stringify(queueArn)]: SQS_SEND });
  });

  it('is told the bus, and no table', () => {
    const variables = resources[fnId(relay.fn)]!.Properties.Environment.Variables as Record<string, unknown>;
    expect(variables.EVENT_BUS_NAME).toEqual({ Ref: busId });
    for (const def of Object.values(tables)) expect(variables[def.envVar]).toBeUndefined();
  });
});

describe('the bus and its consumers', () => {
  it('has one bus and one rule per consumer, on that bus', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    const rules = resourcesOf(template, 'AWS::Events::Rule').filter(
      ([, r]) => JSON.stringify(r.Properties.EventBusName) === JSON.stringify({ Ref: busId }),
    );
    expect(rules).toHaveLength(consumers.length);
  });

  it.each((consumers as readonly ConsumerDef[]).map((c) => [c.fn, c] as const))(
    '%s: its rule matches its event types and targets it, with a dead-letter queue',
    (name, def) => {
      const rule = resources[logicalId(stateless, events.rules.get(name)!)]!;
      expect(rule.Properties.EventPattern).toEqual({ source: [EVENT_SOURCE], 'detail-type': [...def.events] });
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ Arn: { 'Fn::GetAtt': [fnId(name), 'Arn'] }, DeadLetterConfig: { Arn: queueArn } }),
      ]);
      const invokeConfigs = resourcesOf(template, 'AWS::Lambda::EventInvokeConfig').filter(
        ([, c]) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: fnId(name) }),
      );
      expect(invokeConfigs.map(([, c]) => c.Properties)).toEqual([
        expect.objectContaining({
          MaximumRetryAttempts: CONSUMER_ASYNC.retryAttempts,
          MaximumEventAgeInSeconds: 6 * 3600,
          DestinationConfig: { OnFailure: { Destination: queueArn } },
        }),
      ]);
    },
  );

  it.each((consumers as readonly ConsumerDef[]).map((c) => [c.fn, c] as const))(
    '%s: holds exactly its entry’s grants, plus reporting to the failure queue',
    (name, def) => {
      expect(servicesOf(name)).toEqual(
        [
          'logs',
          'xray',
          'sqs',
          ...(Object.keys(def.tables).length ? ['dynamodb'] : []),
          ...(def.documents ? ['s3'] : []),
          ...(def.mail ? ['ses'] : []),
          ...(def.secrets?.length ? ['secretsmanager'] : []),
        ].sort(),
      );
      const expected: Record<string, string[]> = {};
      for (const [key, access] of Object.entries(def.tables) as [TableKey, TableAccess][]) {
        expect(access === 'read' || access === 'write', `${name} ${key}`).toBe(true);
        const arn = resolveStateless(stateful.tables[key].tableArn);
        const actions = [
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:DescribeTable',
          ...(access === 'write' ? ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'] : []),
        ].sort();
        expected[JSON.stringify(arn)] = actions;
        expected[JSON.stringify({ 'Fn::Join': ['', [arn, '/index/*']] })] = actions;
      }
      expect(grantedOn(name, 'dynamodb')).toEqual(expected);
      expect(grantedOn(name, 'sqs')).toEqual({ [JSON.stringify(queueArn)]: SQS_SEND });
      // Every consumer is idempotent (functions/events/consumer.ts): it writes the idempotency table.
      expect(def.tables.idempotency).toBe('write');
    },
  );
});

describe('the failure queue and the alarms', () => {
  it('is encrypted and refuses anything but TLS; EventBridge may send to it from the consumer rules only', () => {
    expect(resources[queueId]!.Properties.SqsManagedSseEnabled).toBe(true);
    const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy').filter(
      ([, p]) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: queueId }]),
    );
    expect(policies).toHaveLength(1);
    const statements = policies[0]![1].Properties.PolicyDocument.Statement as (Statement & { Principal: unknown })[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Principal)).toEqual(consumers.map(() => ({ Service: 'events.amazonaws.com' })));
    expect(allows.map((s) => JSON.stringify(s.Condition)).sort()).toEqual(
      consumers
        .map((c) =>
          JSON.stringify({ ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(stateless, events.rules.get(c.fn)!), 'Arn'] } } }),
        )
        .sort(),
    );
  });

  it('alarms on a message in the failure queue and on a lagging relay, notifying the alarm topic; relay and consumers have their error alarms', () => {
    const topic = { Ref: logicalId(stateless, stateless.alarmTopic) };
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
    const failed = alarms.find(([, a]) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(failed?.[1].Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 1,
      AlarmActions: [topic],
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    });
    const lag = alarms.find(([, a]) => a.Properties.MetricName === 'IteratorAge');
    expect(lag?.[1].Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      AlarmActions: [topic],
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(relay.fn) } }],
    });
    for (const name of [relay.fn, ...consumers.map((c) => c.fn)]) {
      expect(
        alarms.some(
          ([, a]) =>
            a.Properties.MetricName === 'Errors' &&
            JSON.stringify(a.Properties.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: fnId(name) } }]),
        ),
        name,
      ).toBe(true);
    }
  });
});
