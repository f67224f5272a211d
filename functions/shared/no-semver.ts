/**
 * Bundled in place of `semver` (infra/constructs/bundling.ts `bundleAliases`). Of what the bundles
 * hold, only the X-Ray SDK under Powertools' tracer requires it, in one place: `captureAWS`, which
 * instruments the AWS SDK v2 and checks its version. The functions use the SDK v3 and never call
 * it, so the 28 KiB of semver would only cost bundle size and parse time. Asking for a version
 * comparison fails loudly. (`cls-hooked`'s main module compares versions when imported; the X-Ray SDK
 * imports `cls-hooked/context`, which does not: a bundle that imported the main one would fail at
 * start-up, as `npm run bench` would show when it imports every bundle.)
 */
export function gte(): never {
  throw new Error('semver is not bundled: aws-xray-sdk-core captureAWS (AWS SDK v2) is not supported (functions/shared/no-semver.ts)');
}
