/**
 * Stripe's webhook: the signature is checked on the raw body (400 otherwise); each event is
 * applied once (Powertools idempotency on the event id, over the ledger's own conditional
 * writes); the answer is a fast 2xx, or a 409 while the same event is being applied (Stripe
 * delivers again later).
 */
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type Stripe from 'stripe';
import { adapters } from '../../shared/adapters.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import { dynamoClient, tableName } from '../../shared/dynamo.ts';
import { header, httpHandler, ok, rawBody } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { BadSignatureError, verifyEvent } from '../gateway.ts';
import { applyStripeEvent } from '../service.ts';

const ports = () => adapters();
const SEVEN_DAYS = 7 * 24 * 3600;
const config = new IdempotencyConfig({ eventKeyJmesPath: 'id', expiresAfterSeconds: SEVEN_DAYS, throwOnNoIdempotencyKey: true });
let apply: ((event: Stripe.Event) => Promise<unknown>) | undefined;

/** Built on first use: the table name comes from the environment the runtime sets. */
function idempotentApply() {
  apply ??= makeIdempotent(async (event: Stripe.Event) => applyStripeEvent(ports(), event, new Date()), {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: tableName('idempotency'), awsSdkV3Client: dynamoClient() }),
    config,
  });
  return apply;
}

export const handler = httpHandler(contracts.stripeWebhook, async ({ event, context }) => {
  // An in-progress record then expires with this invocation: a delivery after a crash is not held off for days.
  config.registerLambdaContext(context);
  const raw = rawBody(event);
  let stripeEvent: Stripe.Event;
  try {
    stripeEvent = await verifyEvent(ports(), raw, header(event, 'stripe-signature'));
  } catch (error) {
    if (error instanceof BadSignatureError)
      throw new ValidationError([{ path: 'header.stripe-signature', message: 'does not sign this body with the webhook secret' }]);
    throw error;
  }
  try {
    const outcome = await idempotentApply()(stripeEvent);
    return ok({ received: true, outcome: String(outcome) });
  } catch (error) {
    if (error instanceof IdempotencyAlreadyInProgressError)
      throw new ConflictError('This event is being applied right now; deliver it again later.');
    throw error;
  }
});
