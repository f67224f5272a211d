/** The one way to write a scheduled job: middy with the same Powertools middlewares as HTTP. */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { metered } from './metering.ts';
import { escapingErrorsLogged, logger, observed } from './observability.ts';

export function jobHandler<R>(name: string, run: (event: ScheduledEvent, context: Context) => Promise<R>) {
  return observed<ScheduledEvent, R>(escapingErrorsLogged(`job ${name}`)).handler((event, context) =>
    metered({ fn: name, trigger: 'job' }, context, async () => {
      logger.appendKeys({ job: name });
      const result = await run(event, context);
      logger.info('job done', { result: result as never });
      return result;
    }),
  );
}
