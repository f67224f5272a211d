/**
 * Where the daily cost job reads the metering lines of a day (functions/shared/metering.ts), as usage
 * rows (territory × trigger × memory, summed): the same rows in both runtimes, then the same pure
 * pricing (functions/network/domain/costs.ts).
 *
 * - Cloud: one CloudWatch Logs Insights query over the functions' log groups (`SOURCE logGroups(namePrefix:
 *   …)`, the prefix in `METERING_LOG_GROUP_PREFIX`: the stack names every function's log group
 *   `/oui-ensemble/<stack>/<function>` and grants the job `meteringLogs`), the day's Paris bounds,
 *   `stats … by meter.etd, meter.trigger, meter.memoryMb`: the sums are made by Logs Insights, so
 *   the job reads a few rows whatever the number of invocations. Needs logs:StartQuery and
 *   logs:GetQueryResults (the job's role).
 * - Offline: the local runtime installs `useUsageSource()` (infra/local/metering.ts) reading the
 *   JSON-lines files its sink wrote, grouped by the same `usageRows`.
 */
import { METER_MESSAGE } from '../shared/metering.ts';
import type { UsageRow } from './domain/costs.ts';

export interface UsageSource {
  /** The usage of a Paris day, `YYYY-MM-DD`: its lines between `start` and `end` (instants). */
  rowsOf(day: string, start: Date, end: Date): Promise<UsageRow[]>;
}

let installed: UsageSource | undefined;

export function useUsageSource(source: UsageSource | undefined): void {
  installed = source;
}

export function usageSource(): UsageSource {
  return installed ?? logsInsights();
}

/** The Logs Insights query: a row per territory, trigger and memory size. */
export const usageQuery = (prefix: string) =>
  [
    `SOURCE logGroups(namePrefix: ['${prefix.replace(/'/g, '')}'])`,
    `| filter message = '${METER_MESSAGE}'`,
    '| stats count(*) as invocations, sum(meter.durationMs) as durationMs, sum(meter.rcu) as rcu, sum(meter.wcu) as wcu,',
    '  sum(meter.s3Requests) as s3Requests, sum(meter.emails) as emails by meter.etd as etd, meter.trigger as trigger, meter.memoryMb as memoryMb',
  ].join('\n');

const POLL_MS = 1000;
/** The job has 5 minutes (its Lambda timeout): give up on the query after 4. */
const MAX_POLLS = 240;

function logsInsights(): UsageSource {
  return {
    async rowsOf(_day, start, end) {
      const { CloudWatchLogsClient, StartQueryCommand, GetQueryResultsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
      const client = new CloudWatchLogsClient({});
      const prefix = process.env.METERING_LOG_GROUP_PREFIX || '/aws/lambda/';
      const { queryId } = await client.send(
        new StartQueryCommand({
          queryString: usageQuery(prefix),
          startTime: Math.floor(start.getTime() / 1000),
          endTime: Math.floor(end.getTime() / 1000) - 1,
          limit: 10_000,
        }),
      );
      for (let poll = 0; poll < MAX_POLLS; poll++) {
        const answer = await client.send(new GetQueryResultsCommand({ queryId }));
        if (answer.status === 'Complete') {
          return (answer.results ?? []).map((fields) => {
            const get = (name: string) => fields.find((f) => f.field === name)?.value ?? '';
            const num = (name: string) => Number(get(name)) || 0;
            return {
              etd: get('etd'),
              trigger: get('trigger'),
              memoryMb: num('memoryMb'),
              invocations: num('invocations'),
              durationMs: num('durationMs'),
              rcu: num('rcu'),
              wcu: num('wcu'),
              s3Requests: num('s3Requests'),
              emails: num('emails'),
            };
          });
        }
        if (answer.status !== 'Running' && answer.status !== 'Scheduled') throw new Error(`Logs Insights query ended ${answer.status}`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      throw new Error('Logs Insights query still running after 4 minutes');
    },
  };
}
