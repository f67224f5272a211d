import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { businessMetric } from '../../functions/shared/observability.ts';

/** The EMF documents written while `run` runs: their metric names and dimension sets. */
function emfOf(run: () => void): { name: string; dimensions: string[]; unit: string }[] {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const logSpy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    written.push(args.map(String).join(' '));
  });
  try {
    run();
  } finally {
    spy.mockRestore();
    logSpy.mockRestore();
  }
  return written
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map(
      (line) =>
        JSON.parse(line) as { _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } },
    )
    .flatMap((doc) =>
      doc._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => ({ name: m.Name, dimensions: d.Dimensions[0]!, unit: m.Unit }))),
    );
}

describe('businessMetric', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('publishes every metric of a territory with its Etd dimension, one after the other, in the unit given', () => {
    // The test runs disable metrics (vitest.config.ts); each single metric reads the switch when made.
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const emf = emfOf(() => {
      businessMetric('TerritoryCostEuros', '44', 1.5, MetricUnit.NoUnit);
      businessMetric('CostPerActiveEntrepreneurEuros', '44', 0.1, MetricUnit.NoUnit);
      businessMetric('ReferralsOpened', '85');
    });
    expect(emf).toEqual([
      { name: 'TerritoryCostEuros', dimensions: ['service', 'Etd'], unit: 'None' },
      { name: 'CostPerActiveEntrepreneurEuros', dimensions: ['service', 'Etd'], unit: 'None' },
      { name: 'ReferralsOpened', dimensions: ['service', 'Etd'], unit: 'Count' },
    ]);
  });
});
