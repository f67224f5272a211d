/** The local scheduler: next run at a Europe/Paris wall-clock time, across daylight saving changes. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobDef } from '../../functions/jobs.ts';
import { buildScheduledEvent, instantsOf, nextOccurrence, startScheduler, zoneOffsetMs } from '../../infra/local/scheduler.ts';

const at6 = { hour: 6, minute: 0 };
const next = (daily: { hour: number; minute: number }, after: string) =>
  nextOccurrence(daily, new Date(after), 'Europe/Paris').toISOString();

describe('nextOccurrence (Europe/Paris)', () => {
  it('runs at 06:00 CET (05:00Z) before and 06:00 CEST (04:00Z) after the spring change of 29 March 2026', () => {
    expect(next(at6, '2026-03-27T12:00:00Z')).toBe('2026-03-28T05:00:00.000Z');
    expect(next(at6, '2026-03-28T05:00:00Z')).toBe('2026-03-29T04:00:00.000Z'); // equal instant: the next day
    expect(next(at6, '2026-03-29T04:00:00Z')).toBe('2026-03-30T04:00:00.000Z');
  });

  it('runs at 06:00 CEST before and 06:00 CET after the autumn change of 25 October 2026', () => {
    expect(next(at6, '2026-10-24T03:00:00Z')).toBe('2026-10-24T04:00:00.000Z');
    expect(next(at6, '2026-10-24T04:00:00Z')).toBe('2026-10-25T05:00:00.000Z');
    expect(next(at6, '2026-10-25T05:00:00Z')).toBe('2026-10-26T05:00:00.000Z');
  });

  it('skips a time that does not exist in spring (02:30 on 29 March), as EventBridge Scheduler does', () => {
    const half2 = { hour: 2, minute: 30 };
    expect(instantsOf(2026, 3, 29, 2, 30, 'Europe/Paris')).toEqual([]);
    expect(next(half2, '2026-03-28T02:00:00Z')).toBe('2026-03-30T00:30:00.000Z');
  });

  it('runs once, at the first occurrence, a time repeated in autumn (02:30 on 25 October)', () => {
    const half2 = { hour: 2, minute: 30 };
    expect(instantsOf(2026, 10, 25, 2, 30, 'Europe/Paris').map((d) => d.toISOString())).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ]);
    expect(next(half2, '2026-10-24T23:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
    expect(next(half2, '2026-10-25T00:30:00Z')).toBe('2026-10-26T01:30:00.000Z');
  });

  it('crosses month and year ends, and reads the offset of the zone', () => {
    expect(next(at6, '2026-12-31T06:00:00Z')).toBe('2027-01-01T05:00:00.000Z');
    expect(zoneOffsetMs(new Date('2026-01-15T12:00:00Z'), 'Europe/Paris')).toBe(3_600_000);
    expect(zoneOffsetMs(new Date('2026-07-15T12:00:00Z'), 'Europe/Paris')).toBe(7_200_000);
  });

  it('does not depend on the time zone of the machine', () => {
    expect(process.env.TZ).toBe('UTC');
    expect(next({ hour: 23, minute: 59 }, '2026-06-30T22:00:00Z')).toBe('2026-07-01T21:59:00.000Z');
  });
});

describe('startScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('invokes each job at its time with an EventBridge Scheduler event, then plans the next day', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-28T04:59:00Z'));
    const job: JobDef = { fn: 'PublishImpactMetrics', handler: 'unused.ts', daily: at6, tables: {}, summary: '' };
    const run = vi.fn(async () => undefined);
    const lines: string[] = [];
    const scheduler = startScheduler({ jobs: [job], run, log: (l) => lines.push(l) });
    expect(scheduler.planned().PublishImpactMetrics?.toISOString()).toBe('2026-03-28T05:00:00.000Z');

    await vi.advanceTimersByTimeAsync(59_000);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith(
      job,
      expect.objectContaining({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event', time: '2026-03-28T05:00:00Z' }),
    );
    expect(scheduler.planned().PublishImpactMetrics?.toISOString()).toBe('2026-03-29T04:00:00.000Z');

    await vi.advanceTimersByTimeAsync(23 * 3_600_000);
    expect(run).toHaveBeenCalledTimes(2);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(2 * 86_400_000);
    expect(run).toHaveBeenCalledTimes(2);
    expect(lines.every((l) => l.startsWith('JOB PublishImpactMetrics ok'))).toBe(true);
  });

  it('logs a failing job and keeps the schedule', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-06-01T03:59:59Z'));
    const job: JobDef = { fn: 'Boom', handler: 'unused.ts', daily: at6, tables: {}, summary: '' };
    const lines: string[] = [];
    const scheduler = startScheduler({ jobs: [job], run: async () => Promise.reject(new Error('nope')), log: (l) => lines.push(l) });
    await vi.advanceTimersByTimeAsync(1000);
    expect(lines[0]).toMatch(/^JOB Boom failed \d+ms: nope$/);
    expect(scheduler.planned().Boom?.toISOString()).toBe('2026-06-02T04:00:00.000Z');
    await scheduler.stop();
  });
});

describe('buildScheduledEvent', () => {
  it('has the shape of a scheduled event from EventBridge Scheduler', () => {
    expect(buildScheduledEvent({ fn: 'PublishImpactMetrics' }, new Date('2026-11-25T05:00:00.000Z'), 'exec-1')).toEqual({
      version: '0',
      id: 'exec-1',
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '000000000000',
      time: '2026-11-25T05:00:00Z',
      region: 'eu-west-3',
      resources: ['arn:aws:scheduler:eu-west-3:000000000000:schedule/default/PublishImpactMetrics'],
      detail: {},
    });
  });
});
