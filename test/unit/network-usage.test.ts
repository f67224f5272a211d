import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { usageQuery, usageSource, useUsageSource } from '../../functions/network/usage.ts';

const logs = mockClient(CloudWatchLogsClient);
afterEach(() => {
  logs.reset();
  useUsageSource(undefined);
  delete process.env.METERING_LOG_GROUP_PREFIX;
});

describe('the cloud usage source: one Logs Insights query over the functions’ log groups', () => {
  it('selects the log groups by prefix, the day’s bounds, and reads the stats rows', async () => {
    process.env.METERING_LOG_GROUP_PREFIX = '/aws/lambda/OuiEnsemble-';
    logs.on(StartQueryCommand).resolves({ queryId: 'q1' });
    logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Running' })
      .resolves({
        status: 'Complete',
        results: [
          [
            { field: 'etd', value: '44' },
            { field: 'trigger', value: 'http' },
            { field: 'memoryMb', value: '512' },
            { field: 'invocations', value: '120' },
            { field: 'durationMs', value: '4810' },
            { field: 'rcu', value: '88.5' },
            { field: 'wcu', value: '41' },
            { field: 's3Requests', value: '3' },
            { field: 'emails', value: '2' },
          ],
          [
            { field: 'trigger', value: 'job' },
            { field: 'memoryMb', value: '512' },
            { field: 'invocations', value: '4' },
          ],
        ],
      });
    const start = new Date('2026-11-28T23:00:00Z');
    const end = new Date('2026-11-29T23:00:00Z');
    const rows = await usageSource().rowsOf('2026-11-29', start, end);
    const started = logs.commandCalls(StartQueryCommand)[0]!.args[0].input;
    expect(started.queryString).toBe(usageQuery('/aws/lambda/OuiEnsemble-'));
    expect(started.queryString).toContain("SOURCE logGroups(namePrefix: ['/aws/lambda/OuiEnsemble-'])");
    expect(started.queryString).toContain("filter message = 'invocation metered'");
    expect(started).toMatchObject({ startTime: start.getTime() / 1000, endTime: end.getTime() / 1000 - 1 });
    expect(rows).toEqual([
      { etd: '44', trigger: 'http', memoryMb: 512, invocations: 120, durationMs: 4810, rcu: 88.5, wcu: 41, s3Requests: 3, emails: 2 },
      // a line without a territory: '' (shared)
      { etd: '', trigger: 'job', memoryMb: 512, invocations: 4, durationMs: 0, rcu: 0, wcu: 0, s3Requests: 0, emails: 0 },
    ]);
  }, 10_000);

  it('fails when the query fails (the job is retried, no cost item is written)', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q2' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Failed' });
    await expect(usageSource().rowsOf('2026-11-29', new Date(0), new Date(86_400_000))).rejects.toThrow('Failed');
  });
});
