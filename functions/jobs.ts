/**
 * The job table: scheduled functions. The CDK stateless stack creates one EventBridge Scheduler
 * schedule per entry (in the Europe/Paris time zone); the local runtime runs the same handlers at
 * the same local time, and `npm run invoke -- <fn> events/scheduler/<file>.json` runs one now.
 */
import type { Capabilities, TableAccess } from './route-def.ts';
import type { TableKey } from './tables.ts';

interface JobBase extends Capabilities {
  readonly fn: string;
  readonly handler: string;
  readonly tables: Partial<Record<TableKey, TableAccess>>;
  readonly summary: string;
}

export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

/**
 * A job runs every hour at a minute, every day at a time, or once a month on the first working day (France: Monday to
 * Friday but public holidays, functions/shared/working-days.ts) at a time, Europe/Paris. Neither
 * EventBridge Scheduler's cron nor the local scheduler can say "first working day": both fire on
 * each of the days 1 to `MONTHLY_WINDOW_DAYS` of the month at that time, and the job's handler
 * does its work only on the first working day (`isFirstWorkingDayOfMonth`), answering "skipped"
 * on the others. The first working day always falls within that window.
 */
export type JobDef = JobBase &
  (
    | { readonly daily: TimeOfDay; readonly monthly?: never; readonly hourly?: never }
    | { readonly monthly: TimeOfDay & { readonly on: 'first-working-day' }; readonly daily?: never; readonly hourly?: never }
    /** Every hour at `minute` (e.g. offers that expire after 48 h: a day would be too coarse). */
    | { readonly hourly: { readonly minute: number }; readonly daily?: never; readonly monthly?: never }
  );

/** Days 1 to 7: the first working day of a month is at the latest the 4th (1 May a Friday). */
export const MONTHLY_WINDOW_DAYS = 7;

export const SCHEDULE_TIMEZONE = 'Europe/Paris';

export const jobs = [
  {
    fn: 'PublishImpactMetrics',
    handler: 'functions/metrics/handlers/publish-impact.ts',
    daily: { hour: 6, minute: 0 },
    tables: { directory: 'read', referrals: 'read' },
    summary:
      'Per ETD: active entrepreneurs and those aged 45+ kept in activity (headline impact figure); referred works opened, accepted, completed, their amount HT and the technicians 45+ kept at work on them',
  },
  {
    fn: 'ExpireQuotes',
    handler: 'functions/quotes/handlers/expire-quotes.ts',
    daily: { hour: 0, minute: 15 },
    tables: { sales: 'write' },
    summary: 'Sent quotes past their validity become expired',
  },
  {
    fn: 'ReconcilePayments',
    handler: 'functions/payments/handlers/reconcile-payments.ts',
    daily: { hour: 4, minute: 30 },
    tables: { sales: 'write' },
    secrets: ['stripeSecretKey'],
    summary: 'Stripe payments of the last days against the payments recorded: records a missing one, flags mismatches',
  },
  {
    fn: 'SendReminders',
    handler: 'functions/payments/handlers/send-reminders.ts',
    daily: { hour: 9, minute: 0 },
    tables: { sales: 'write' },
    mail: true,
    secrets: ['linkSigningKey'],
    summary: 'Overdue invoices: one reminder e-mail per step (due + 7, + 15, + 30 days), never after payment',
  },
  {
    fn: 'RetryRefunds',
    handler: 'functions/payments/handlers/retry-refunds.ts',
    daily: { hour: 5, minute: 0 },
    tables: { sales: 'write' },
    secrets: ['stripeSecretKey'],
    summary:
      'Failed refunds retried with their idempotency key (5 attempts over about two weeks), then abandoned and alarmed (RefundAbandoned)',
  },
  {
    fn: 'PrepareSalaryDrafts',
    handler: 'functions/payroll/handlers/prepare-salary-drafts.ts',
    monthly: { hour: 7, minute: 0, on: 'first-working-day' },
    tables: { payroll: 'write', directory: 'read' },
    mail: true,
    summary:
      'First working day of the month: a salary draft of the previous month for every active entrepreneur (none replaced, nothing issued changed); the drafts still open counted per territory (metric OpenSalaryDrafts) and e-mailed per CAE to its payroll contact',
  },
  {
    fn: 'ExpireReferralOffers',
    handler: 'functions/referrals/handlers/expire-offers.ts',
    hourly: { minute: 5 },
    tables: { referrals: 'write', directory: 'read' },
    mail: true,
    secrets: ['linkSigningKey'],
    summary:
      'Referral offers past their expiry (48 h by default) are expired and the next candidate of each referral gets an offer by e-mail',
  },
  {
    fn: 'RemindCesuDeclarations',
    handler: 'functions/cesu/handlers/remind-cesu-declarations.ts',
    daily: { hour: 8, minute: 30 },
    tables: { cesu: 'read', directory: 'read' },
    mail: true,
    summary:
      'Three days before the monthly CESU deadline (configured day of the next month): one e-mail per coordinator with the declarations of the past month not yet submitted; other days skipped',
  },
  {
    fn: 'IssueTaxAttestations',
    handler: 'functions/cesu/handlers/issue-tax-attestations.ts',
    monthly: { hour: 6, minute: 30, on: 'first-working-day' },
    tables: { cesu: 'write', directory: 'read', sales: 'read' },
    documents: 'write',
    mail: true,
    pdf: true,
    summary:
      'January only (first working day): the tax-credit attestations of the past year for every territory, e-mailed to the clients; a client whose amounts did not change gets nothing new, a changed one a corrected attestation',
  },
  {
    fn: 'IssueRedevanceStatements',
    handler: 'functions/network/handlers/issue-redevance-statements.ts',
    monthly: { hour: 8, minute: 0, on: 'first-working-day' },
    tables: { network: 'write', directory: 'read' },
    documents: 'write',
    mail: true,
    pdf: true,
    summary:
      'First working day of the month: every territory’s redevance statements of the periods ended and not stated yet, in order (PDF stored, e-mailed to the managers); a re-run writes nothing',
  },
  {
    fn: 'ComputeDailyCosts',
    handler: 'functions/network/handlers/compute-daily-costs.ts',
    daily: { hour: 3, minute: 30 },
    tables: { network: 'write', directory: 'read' },
    secrets: ['stripeSecretKey'],
    meteringLogs: true,
    summary:
      'The previous day’s cost per territory: metered usage × the eu-west-3 price table, its share of the shared costs, its Stripe fees; one cost item per territory and day (metrics TerritoryCostEuros, CostPerActiveEntrepreneurEuros)',
  },
] as const satisfies readonly JobDef[];

/** EventBridge Scheduler expression of a job (evaluated in SCHEDULE_TIMEZONE). */
export const cronExpression = (job: JobDef): string =>
  job.hourly
    ? `cron(${job.hourly.minute} * * * ? *)`
    : job.daily
      ? `cron(${job.daily.minute} ${job.daily.hour} * * ? *)`
      : `cron(${job.monthly.minute} ${job.monthly.hour} 1-${MONTHLY_WINDOW_DAYS} * ? *)`;

/** The time of day a job runs at, Europe/Paris (an hourly job: its first run of the day). */
export const jobTime = (job: JobDef): TimeOfDay => (job.hourly ? { hour: 0, minute: job.hourly.minute } : (job.daily ?? job.monthly));

/** « Daily 06:00 » / « Monthly, first working day, 07:00 » (descriptions, console). */
export function scheduleLabel(job: JobDef): string {
  if (job.hourly) return `Hourly at :${String(job.hourly.minute).padStart(2, '0')}`;
  const { hour, minute } = jobTime(job);
  const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return job.daily ? `Daily ${time}` : `Monthly, first working day, ${time}`;
}
