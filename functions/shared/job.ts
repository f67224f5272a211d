/** The one way to write a scheduled job: middy with the same Powertools middlewares as HTTP. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { metered } from './metering.ts';
import { escapingErrorsLogged, logger, metrics, tracer } from './observability.ts';

export function jobHandler<R>(name: string, run: (event: ScheduledEvent, context: Context) => Promise<R>) {
  return middy<ScheduledEvent, R>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(logMetrics(metrics))
    .use(escapingErrorsLogged(`job ${name}`))
    .handler((event, context) =>
      metered({ fn: name, trigger: 'job' }, context, async () => {
        logger.appendKeys({ job: name });
        const result = await run(event, context);
        logger.info('job done', { result: result as never });
        return result;
      }),
    );
}
