/**
 * An error escaping a job is logged before the runtime reports it (functions/shared/observability.ts
 * `escapingErrorsLogged`): with the job's keys, then rethrown so that the runtime retries; one that
 * is part of the design (a consumer's delivery already in progress) as a warning.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jobHandler } from '../../functions/shared/job.ts';
import { escapingErrorsLogged, logger } from '../../functions/shared/observability.ts';
import { buildLambdaContext } from '../../infra/local/apigw.ts';

afterEach(() => vi.restoreAllMocks());

describe('errors escaping a job', () => {
  it('are logged, with the job’s name, and rethrown', async () => {
    // What the logger is asked, in order: the job's key, the error, then the keys cleared.
    const calls: unknown[] = [];
    vi.spyOn(logger, 'appendKeys').mockImplementation((keys) => void calls.push({ appendKeys: keys }));
    vi.spyOn(logger, 'resetKeys').mockImplementation(() => void calls.push('resetKeys'));
    vi.spyOn(logger, 'info').mockImplementation(() => {});
    vi.spyOn(logger, 'error').mockImplementation((...args: unknown[]) => void calls.push({ error: args[0], with: args[1] }));
    const failure = new Error('the table is gone');
    const handler = jobHandler('ComputeRedevances', async () => {
      throw failure;
    });
    await expect(handler({} as ScheduledEvent, buildLambdaContext({ functionName: 'ComputeRedevances' }))).rejects.toBe(failure);
    const error = calls.findIndex((call) => typeof call === 'object' && call !== null && 'error' in call);
    expect(calls[error]).toEqual({ error: 'job ComputeRedevances failed', with: failure });
    expect(calls.slice(0, error)).toContainEqual({ appendKeys: { job: 'ComputeRedevances' } });
    // Logged while the job's keys are still on: injectLambdaContext clears them after.
    expect(calls.slice(0, error)).not.toContain('resetKeys');
    expect(calls.slice(error)).toContain('resetKeys');
  });

  it('are logged as warnings when they are part of the design (a delivery already in progress)', async () => {
    const calls: unknown[] = [];
    vi.spyOn(logger, 'warn').mockImplementation((...args: unknown[]) => void calls.push({ warn: args }));
    vi.spyOn(logger, 'error').mockImplementation((...args: unknown[]) => void calls.push({ error: args }));
    class InProgress extends Error {
      override name = 'InProgress';
    }
    const middleware = escapingErrorsLogged('consumer Test', (error) =>
      error instanceof InProgress ? 'being applied elsewhere' : undefined,
    );
    await middleware.onError!({ error: new InProgress('x') } as never);
    await middleware.onError!({ error: new Error('boom') } as never);
    expect(calls).toEqual([
      { warn: ['consumer Test: being applied elsewhere', { error: 'InProgress' }] },
      { error: ['consumer Test failed', expect.objectContaining({ message: 'boom' })] },
    ]);
  });
});
