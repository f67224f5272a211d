/**
 * Imported first by scripts/bench.ts, before any module of the house: the X-Ray SDK (loaded by the
 * Powertools tracer of functions/shared/observability.ts) reads its mode once, when it loads, and
 * the bench process loads it early (the PDF leg imports the renderers). An empty
 * AWS_XRAY_MANUAL_MODE is kept by functions/shared/xray-mode.ts and read as automatic by the SDK: the
 * handlers measured in process pay its async hook on every invocation and every DynamoDB call, as
 * in Lambda. The latency leg checks it (`isAutomaticMode()`).
 */
process.env.AWS_XRAY_MANUAL_MODE = '';
