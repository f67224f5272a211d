/**
 * The AWS price table the cost per territory uses: region eu-west-3 (Paris), on-demand, versioned by
 * the day from which a version applies. Each price carries its source and the date it was read;
 * `verified: false` means nobody of this project checked the figure against the live page (the
 * machine that wrote this table had no internet access): check each one on its page, then set a new
 * version with `verified: true`. Prices are in US dollars as AWS lists them; `eurPerUsd` converts.
 *
 * Units: `usdPerMillion` of the service's unit (GB-second, request, request unit, e-mail, GB).
 */
export const costServices = [
  'lambda-compute',
  'lambda-requests',
  'api-requests',
  'dynamodb-read',
  'dynamodb-write',
  's3-requests',
  'ses',
  'cloudwatch-logs',
  'cloudwatch-metrics',
  'stripe-fees',
] as const;
export type CostService = (typeof costServices)[number];

/** The services priced from usage (Stripe's fees come from Stripe itself). */
export type PricedService = Exclude<CostService, 'stripe-fees'>;

export interface Price {
  readonly unit: string;
  readonly usdPerMillion: number;
  readonly source: string;
  /** When the source was read, `YYYY-MM-DD`. */
  readonly readOn: string;
  readonly verified: boolean;
}

export interface PriceVersion {
  /** First day it applies, `YYYY-MM-DD`. */
  readonly from: string;
  readonly region: 'eu-west-3';
  readonly eurPerUsd: { readonly value: number; readonly source: string; readonly readOn: string; readonly verified: boolean };
  readonly prices: Readonly<Record<PricedService, Price>>;
  /**
   * Assumptions where the usage is not metered line by line: the bytes of log an invocation writes
   * (its metering line, Lambda's START/END/REPORT lines and the handler's own lines), and the
   * custom-metric series the operators' dashboard keeps per territory (impact, drafts, costs).
   */
  readonly assumptions: {
    readonly logBytesPerInvocation: number;
    readonly metricSeriesPerTerritory: number;
    readonly metricSeriesShared: number;
  };
}

const read = '2026-11-30';

export const priceVersions: readonly PriceVersion[] = [
  {
    from: '2026-01-01',
    region: 'eu-west-3',
    eurPerUsd: {
      value: 0.86,
      source: 'https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/eurofxref-graph-usd.en.html',
      readOn: read,
      verified: false,
    },
    prices: {
      'lambda-compute': {
        unit: 'GB-second (arm64)',
        usdPerMillion: 13.3334,
        source: 'https://aws.amazon.com/lambda/pricing/',
        readOn: read,
        verified: false,
      },
      'lambda-requests': {
        unit: 'request',
        usdPerMillion: 0.2,
        source: 'https://aws.amazon.com/lambda/pricing/',
        readOn: read,
        verified: false,
      },
      'api-requests': {
        unit: 'HTTP API request',
        usdPerMillion: 1.11,
        source: 'https://aws.amazon.com/api-gateway/pricing/',
        readOn: read,
        verified: false,
      },
      'dynamodb-read': {
        unit: 'read request unit (on demand)',
        usdPerMillion: 0.1485,
        source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
        readOn: read,
        verified: false,
      },
      'dynamodb-write': {
        unit: 'write request unit (on demand)',
        usdPerMillion: 0.7425,
        source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
        readOn: read,
        verified: false,
      },
      // Counted at the PUT price, GETs included (an upper bound: a GET costs about a tenth).
      's3-requests': {
        unit: 'S3 Standard request (PUT price)',
        usdPerMillion: 5.3,
        source: 'https://aws.amazon.com/s3/pricing/',
        readOn: read,
        verified: false,
      },
      ses: { unit: 'e-mail sent', usdPerMillion: 100, source: 'https://aws.amazon.com/ses/pricing/', readOn: read, verified: false },
      'cloudwatch-logs': {
        unit: 'GB of logs ingested',
        usdPerMillion: 530_000,
        source: 'https://aws.amazon.com/cloudwatch/pricing/',
        readOn: read,
        verified: false,
      },
      'cloudwatch-metrics': {
        unit: 'custom metric series-month',
        usdPerMillion: 300_000,
        source: 'https://aws.amazon.com/cloudwatch/pricing/',
        readOn: read,
        verified: false,
      },
    },
    assumptions: { logBytesPerInvocation: 1_500, metricSeriesPerTerritory: 6, metricSeriesShared: 12 },
  },
];

/** The version in force on a day (the first one before any). */
export function pricesOn(day: string, versions: readonly PriceVersion[] = priceVersions): PriceVersion {
  return versions.filter((v) => v.from <= day).at(-1) ?? versions[0]!;
}
