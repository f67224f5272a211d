/**
 * Bundled in place of `semver` (infra/constructs/bundling.ts `bundleAliases`). The X-Ray SDK under
 * Powertools' tracer requires it in one place: `captureAWS`, which instruments the AWS SDK v2 and
 * checks its version. The functions use the SDK v3 and never call it, so the 28 KiB of semver
 * would only cost bundle size and parse time. Asking for a version comparison fails loudly.
 */
export function gte(): never {
  throw new Error('semver is not bundled: aws-xray-sdk-core captureAWS (AWS SDK v2) is not supported (functions/shared/no-semver.ts)');
}
