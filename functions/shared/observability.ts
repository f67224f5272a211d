/**
 * Powertools singletons, created once per container. Personal data is never logged: log ids,
 * territories, states and counts, never names, e-mails, phones or addresses.
 */
// First: decides the X-Ray SDK's mode before the Tracer loads it (see the module).
import './xray-mode.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { sourceMapped } from './source-stack.ts';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'oui-ensemble';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'OuiEnsemble',
  // Business metrics are published as single metrics, so most invocations store none: Metrics'
  // "no application metrics" notice is housekeeping, kept at debug level instead of a warning per call.
  logger: {
    debug: (...args: unknown[]) => logger.debug(String(args[0]), ...(args.slice(1) as never[])),
    info: (...args: unknown[]) => logger.info(String(args[0]), ...(args.slice(1) as never[])),
    warn: (...args: unknown[]) => logger.debug(String(args[0]), ...(args.slice(1) as never[])),
    error: (...args: unknown[]) => logger.error(String(args[0]), ...(args.slice(1) as never[])),
  },
});
export const tracer = new Tracer({ serviceName });

/**
 * A business metric always carries the territory it belongs to (`Etd` dimension). One single metric
 * per call: a single metric is published, and its dimensions cleared, by its first `addMetric`.
 */
export function businessMetric(
  name: string,
  etd: string,
  value = 1,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit] = MetricUnit.Count,
): void {
  const single = metrics.singleMetric();
  single.addDimension('Etd', etd);
  single.addMetric(name, unit, value);
}

/** An unexpected failure answered as a 500: counted for the operators' alarm (no Etd: it may have none). */
export function countUnexpectedError(): void {
  metrics.addMetric('UnexpectedErrors', MetricUnit.Count, 1);
}

/**
 * Logs an unexpected error (a route's or page's 500, an error escaping a job, the relay or a
 * consumer), its stack read against the bundle's source map (./source-stack.ts).
 */
export function logUnexpected(message: string, error: unknown): void {
  logger.error(message, sourceMapped(error) as Error);
}

/**
 * The middleware stack of every entry point (routes, pages, jobs, the relay, consumers): tracer
 * (responses never captured: they hold personal data), logger (context, keys reset per call, the
 * event never logged), EMF metrics, then the entry point's own handling of errors, registered last
 * so that on an error it runs first, while the invocation's keys are still on.
 */
export function observed<E, R>(errors: middy.MiddlewareObj<E, R>) {
  return middy<E, R>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(logMetrics(metrics))
    .use(errors);
}

/**
 * Logs an error escaping a job, the relay or a consumer, which the runtime then reports and
 * retries, with the invocation's keys (`observed`'s error handling). `expected` names the errors that are part of the design (a delivery
 * already in progress elsewhere) and the reason given for them, logged as a warning.
 */
export function escapingErrorsLogged<E, R>(what: string, expected?: (error: unknown) => string | undefined): middy.MiddlewareObj<E, R> {
  return {
    onError: async (request) => {
      const reason = expected?.(request.error);
      if (reason) logger.warn(`${what}: ${reason}`, { error: request.error?.name });
      else logUnexpected(`${what} failed`, request.error);
    },
  };
}
