/**
 * The job table: scheduled functions. The CDK stateless stack creates one EventBridge Scheduler
 * schedule per entry (in the Europe/Paris time zone); the local runtime runs the same handlers at
 * the same local time, and `npm run invoke -- <fn> events/scheduler/<file>.json` runs one now.
 */
import type { Capabilities, TableAccess } from './routes.ts';
import type { TableKey } from './tables.ts';

export interface JobDef extends Capabilities {
  readonly fn: string;
  readonly handler: string;
  /** Every day at this time, Europe/Paris. */
  readonly daily: { readonly hour: number; readonly minute: number };
  readonly tables: Partial<Record<TableKey, TableAccess>>;
  readonly summary: string;
}

export const SCHEDULE_TIMEZONE = 'Europe/Paris';

export const jobs = [
  {
    fn: 'PublishImpactMetrics',
    handler: 'functions/metrics/handlers/publish-impact.ts',
    daily: { hour: 6, minute: 0 },
    tables: { directory: 'read' },
    summary: 'Per ETD: active entrepreneurs and those aged 45+ kept in activity (headline impact figure)',
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
] as const satisfies readonly JobDef[];

/** EventBridge Scheduler expression of a daily job (evaluated in SCHEDULE_TIMEZONE). */
export const cronExpression = (job: JobDef): string => `cron(${job.daily.minute} ${job.daily.hour} * * ? *)`;
