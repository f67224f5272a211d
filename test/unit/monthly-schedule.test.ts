/** Monthly jobs: French working days, the cron window both runtimes read (functions/jobs.ts), the local scheduler's next run. */
import { describe, expect, it } from 'vitest';
import { cronExpression, type JobDef, jobs, MONTHLY_WINDOW_DAYS, scheduleLabel } from '../../functions/jobs.ts';
import {
  easterSunday,
  firstWorkingDay,
  isFirstWorkingDayOfMonth,
  isWorkingDay,
  publicHolidays,
} from '../../functions/shared/working-days.ts';
import { nextRun } from '../../infra/local/scheduler.ts';

describe('French working days', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('Easter %s is %s', (year, date) => expect(easterSunday(year)).toBe(date));

  it('has the eleven public holidays of 2026', () => {
    expect(publicHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it.each([
    ['2026-01', '2026-01-02'], // 1 January a Thursday, public holiday
    ['2026-05', '2026-05-04'], // 1 May a Friday
    ['2026-11', '2026-11-02'], // 1 November a Sunday
    ['2026-12', '2026-12-01'],
    ['2024-04', '2024-04-02'], // Easter Monday on 1 April
    ['2027-05', '2027-05-03'], // Saturday 1 May
  ])('the first working day of %s is %s', (month, day) => {
    expect(firstWorkingDay(month)).toBe(day);
    expect(isFirstWorkingDayOfMonth(day)).toBe(true);
    expect(Number(day.slice(8))).toBeLessThanOrEqual(MONTHLY_WINDOW_DAYS);
  });

  it('knows weekends and holidays', () => {
    expect(isWorkingDay('2026-11-28')).toBe(false);
    expect(isWorkingDay('2026-11-11')).toBe(false);
    expect(isWorkingDay('2026-11-12')).toBe(true);
    expect(isFirstWorkingDayOfMonth('2026-12-02')).toBe(false);
  });

  it('finds the first working day within the monthly window every month of 2025-2045', () => {
    for (let year = 2025; year <= 2045; year++)
      for (let month = 1; month <= 12; month++)
        expect(Number(firstWorkingDay(`${year}-${String(month).padStart(2, '0')}`).slice(8))).toBeLessThanOrEqual(MONTHLY_WINDOW_DAYS);
  });
});

describe('monthly schedule', () => {
  const monthly = jobs.find((j) => j.fn === 'PrepareSalaryDrafts') as JobDef;
  const daily = jobs.find((j) => j.fn === 'PublishImpactMetrics') as JobDef;

  it('is a cron on days 1 to 7 for EventBridge Scheduler, the handler keeping the first working day', () => {
    expect(cronExpression(monthly)).toBe('cron(0 7 1-7 * ? *)');
    expect(cronExpression(daily)).toBe('cron(0 6 * * ? *)');
    expect(scheduleLabel(monthly)).toBe('Monthly, first working day, 07:00');
    expect(scheduleLabel(daily)).toBe('Daily 06:00');
  });

  it('runs offline when the cloud would: days 1 to 7 at 07:00 Paris, then next month', () => {
    expect(nextRun(monthly, new Date('2026-11-25T10:00:00Z')).toISOString()).toBe('2026-12-01T06:00:00.000Z');
    expect(nextRun(monthly, new Date('2026-12-01T06:00:00Z')).toISOString()).toBe('2026-12-02T06:00:00.000Z');
    expect(nextRun(monthly, new Date('2026-12-07T06:00:00Z')).toISOString()).toBe('2027-01-01T06:00:00.000Z');
    // Summer time: 07:00 Paris is 05:00 UTC.
    expect(nextRun(monthly, new Date('2027-06-30T12:00:00Z')).toISOString()).toBe('2027-07-01T05:00:00.000Z');
    expect(nextRun(daily, new Date('2026-11-25T10:00:00Z')).toISOString()).toBe('2026-11-26T05:00:00.000Z');
  });
});

describe('hourly schedule (referral offers expire after 48 h: a daily run would be too coarse)', () => {
  const hourly = jobs.find((j) => j.fn === 'ExpireReferralOffers') as JobDef;

  it('is a cron every hour at :05 for EventBridge Scheduler', () => {
    expect(cronExpression(hourly)).toBe('cron(5 * * * ? *)');
    expect(scheduleLabel(hourly)).toBe('Hourly at :05');
  });

  it('runs offline when the cloud would: the next :05, winter or summer time', () => {
    expect(nextRun(hourly, new Date('2026-11-25T10:00:00Z')).toISOString()).toBe('2026-11-25T10:05:00.000Z');
    expect(nextRun(hourly, new Date('2026-11-25T10:05:00Z')).toISOString()).toBe('2026-11-25T11:05:00.000Z');
    expect(nextRun(hourly, new Date('2026-11-25T23:59:59Z')).toISOString()).toBe('2026-11-26T00:05:00.000Z');
    expect(nextRun(hourly, new Date('2026-03-29T00:30:00Z')).toISOString()).toBe('2026-03-29T01:05:00.000Z');
  });
});
