/**
 * Imported by observability.ts before the Powertools Tracer, and so before the AWS X-Ray SDK it
 * loads (the Tracer is imported nowhere else).
 *
 * Powertools traces only in Lambda (its Tracer is disabled where AWS_EXECUTION_ENV is unset), but the
 * X-Ray SDK, in its default automatic mode, installs when it loads a process-wide async hook
 * (cls-hooked) that records the creation and the destruction of every promise of the process:
 * outside Lambda that is ≈ 0.15 ms of CPU per DynamoDB call and ≈ 0.2 ms per handler invocation
 * spent on a context nothing reads (issue 14). There the SDK starts in manual mode, which installs
 * no hook. In Lambda (LAMBDA_TASK_ROOT, AWS_EXECUTION_ENV) nothing changes: active tracing needs
 * the context, and the SDK creates it there whatever the mode. An explicit setting is kept.
 */
const env = process.env;
if (!env.LAMBDA_TASK_ROOT && !env.AWS_EXECUTION_ENV && env.AWS_XRAY_MANUAL_MODE === undefined) {
  env.AWS_XRAY_MANUAL_MODE = 'true';
}
