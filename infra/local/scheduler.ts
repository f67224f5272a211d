/**
 * The local stand-in for EventBridge Scheduler: while the server runs, each job of functions/jobs.ts
 * runs every day (a monthly job: on days 1 to 7, its handler working on the first working day
 * only, as in the cloud) at its Europe/Paris wall-clock time, with the same semantics around daylight
 * saving time as EventBridge Scheduler (a time skipped in spring is skipped; a time repeated in
 * autumn runs once, at its first occurrence). No cron library: time-zone math via Intl.
 */
import { randomUUID } from 'node:crypto';
import { jobs as jobTable, MONTHLY_WINDOW_DAYS, SCHEDULE_TIMEZONE, type JobDef, type TimeOfDay } from '../../functions/jobs.ts';
import { invokeHandler, LOCAL_ACCOUNT_ID } from './apigw.ts';
import { LOCAL_REGION } from './tables.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock of `timeZone` at `instant`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (Paris: +1 h in winter, +2 h in summer). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instants at which the wall clock of `timeZone` reads the given local date and time: one
 * normally, none in a spring-forward gap, two in an autumn fold (earliest first).
 */
export function instantsOf(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date[] {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  // Offsets in force around that day cover both sides of any transition.
  const offsets = new Set([-36, -12, 0, 12, 36].map((h) => zoneOffsetMs(new Date(naive + h * 3_600_000), timeZone)));
  const found = [...offsets]
    .map((offset) => new Date(naive - offset))
    .filter((candidate) => {
      const w = wallClock(candidate, timeZone);
      return w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === minute;
    })
    .sort((a, b) => a.getTime() - b.getTime());
  return found.filter((d, i) => i === 0 || d.getTime() !== found[i - 1]!.getTime());
}

/**
 * The next instant strictly after `after` at which a job at `time` (wall clock of `timeZone`) runs:
 * every day, or with `monthDays` only on days 1 to `monthDays` of a month (a monthly job's window,
 * as its cron expression says: functions/jobs.ts).
 */
export function nextOccurrence(time: TimeOfDay, after: Date, timeZone: string = SCHEDULE_TIMEZONE, monthDays?: number): Date {
  const today = wallClock(after, timeZone);
  const horizon = monthDays === undefined ? 3 : 40;
  for (let offsetDays = 0; offsetDays <= horizon; offsetDays++) {
    // Calendar arithmetic on a UTC date avoids month-length bookkeeping.
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offsetDays));
    if (monthDays !== undefined && date.getUTCDate() > monthDays) continue;
    const runs = instantsOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), time.hour, time.minute, timeZone);
    // Skipped in a gap (no instant); only the first instant of a fold.
    const first = runs[0];
    if (first && first.getTime() > after.getTime()) return first;
  }
  throw new Error(`no occurrence of ${time.hour}:${time.minute} in ${timeZone} within ${horizon} days of ${after.toISOString()}`);
}

/** The next run of a job of the table, as EventBridge Scheduler would fire it (its cron expression). */
export const nextRun = (job: JobDef, after: Date, timeZone: string = SCHEDULE_TIMEZONE): Date =>
  job.hourly
    ? nextHourly(job.hourly.minute, after)
    : job.daily
      ? nextOccurrence(job.daily, after, timeZone)
      : nextOccurrence(job.monthly!, after, timeZone, MONTHLY_WINDOW_DAYS);

/** The next instant strictly after `after` at `minute` past an hour (Paris is a whole number of hours from UTC: the same minutes). */
export function nextHourly(minute: number, after: Date): Date {
  const next = new Date(after.getTime());
  next.setUTCSeconds(0, 0);
  next.setUTCMinutes(minute);
  while (next.getTime() <= after.getTime()) next.setUTCHours(next.getUTCHours() + 1);
  return next;
}

// ---- The event ------------------------------------------------------------------------------

export const scheduleArn = (job: Pick<JobDef, 'fn'>): string =>
  `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:schedule/default/${job.fn}`;

/**
 * The event a job receives: EventBridge's scheduled-event envelope, whose fields the cloud schedule
 * fills from Scheduler's context attributes (`<aws.scheduler.execution-id>`,
 * `<aws.scheduler.scheduled-time>`, `<aws.scheduler.schedule-arn>`).
 */
export function buildScheduledEvent(job: Pick<JobDef, 'fn'>, scheduledTime: Date, executionId: string = randomUUID()) {
  return {
    version: '0',
    id: executionId,
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: LOCAL_ACCOUNT_ID,
    time: scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [scheduleArn(job)],
    detail: {},
  };
}

// ---- The loop -------------------------------------------------------------------------------

export interface SchedulerOptions {
  readonly jobs?: readonly JobDef[];
  readonly timeZone?: string;
  readonly now?: () => Date;
  readonly log?: (line: string) => void;
  /** How to run a job (default: its handler, in process). */
  readonly run?: (job: JobDef, event: ReturnType<typeof buildScheduledEvent>) => Promise<unknown>;
}

export interface LocalScheduler {
  /** Next planned run of each job. */
  planned(): Record<string, Date>;
  /** Cancels the timers and waits for running jobs to finish. */
  stop(): Promise<void>;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export function startScheduler(options: SchedulerOptions = {}): LocalScheduler {
  const list = options.jobs ?? (jobTable as readonly JobDef[]);
  const timeZone = options.timeZone ?? SCHEDULE_TIMEZONE;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const run = options.run ?? ((job, event) => invokeHandler(job, event, { timeoutMs: 900_000 }));
  const timers = new Map<string, NodeJS.Timeout>();
  const next = new Map<string, Date>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const plan = (job: JobDef, after: Date) => {
    if (stopped) return;
    const at = nextRun(job, after, timeZone);
    next.set(job.fn, at);
    const arm = () => {
      if (stopped) return;
      const wait = at.getTime() - now().getTime();
      if (wait <= 0) {
        fire(job, at);
        return;
      }
      // Long waits are split (timer limit); a timer that wakes early re-arms.
      const timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
      timer.unref();
      timers.set(job.fn, timer);
    };
    arm();
  };

  const fire = (job: JobDef, at: Date) => {
    if (stopped) return;
    const started = performance.now();
    const execution = (async () => {
      try {
        await run(job, buildScheduledEvent(job, at));
        log(`JOB ${job.fn} ok ${Math.round(performance.now() - started)}ms`);
      } catch (error) {
        log(`JOB ${job.fn} failed ${Math.round(performance.now() - started)}ms: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
    running.add(execution);
    void execution.finally(() => running.delete(execution));
    plan(job, at);
  };

  const start = now();
  for (const job of list) plan(job, start);

  return {
    planned: () => Object.fromEntries(next),
    stop: async () => {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all(running);
    },
  };
}
