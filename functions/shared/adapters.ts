/**
 * Ports to the outside world. Handlers call `adapters()`: in Lambda it builds the cloud adapters
 * (S3, SES, Secrets Manager; functions/shared/cloud-adapters.ts) once per container, each SDK
 * loaded on first use; the local runtime installs its own with `useAdapters()` at start (a folder,
 * an outbox of .eml files, environment variables). Domain code never sees either.
 */
import type { SecretKey } from '../route-def.ts';
import { cloudAdapters } from './cloud-adapters.ts';
import { meteredAdapters } from './metering.ts';

export interface StoredDocument {
  readonly key: string;
  readonly contentType: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface DocumentStore {
  /** Stores the bytes under `key` (private); returns what was stored, with its SHA-256. */
  put(key: string, body: Uint8Array, contentType: string): Promise<StoredDocument>;
  get(key: string): Promise<Uint8Array>;
  /** A short-lived link that downloads the document (S3 presigned URL / local signed link). */
  link(key: string, options: { ttlSeconds: number; fileName: string }): Promise<{ url: string; expiresAt: string }>;
  /**
   * A short-lived link that UPLOADS one document under `key` (S3 presigned PUT / local signed PUT):
   * the uploader must send exactly `headers` (the content type and the declared length, both signed),
   * so nothing of another type or size is accepted. `bytes` is the declared length, at most
   * `maxBytes` (RangeError otherwise). What arrives is still checked by content before use.
   */
  uploadLink(key: string, options: UploadLinkOptions): Promise<UploadLink>;
}

export interface UploadLinkOptions {
  readonly contentType: string;
  /** The exact length the uploader declared. */
  readonly bytes: number;
  readonly maxBytes: number;
  readonly ttlSeconds: number;
}

export interface UploadLink {
  readonly url: string;
  readonly method: 'PUT';
  /** Headers the upload must carry, as signed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  /** Plain French text; the HTML part is optional. */
  readonly text: string;
  readonly html?: string;
  readonly replyTo?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

export interface Secrets {
  get(key: SecretKey): Promise<string>;
}

/**
 * Where Stripe is: api.stripe.com in the cloud, the stand-in offline. The port gives the key and
 * the SDK's options only; the SDK itself is built by functions/payments/gateway.ts, so that no
 * function but the payment ones bundles it.
 */
export interface Payments {
  connection(): Promise<{ readonly apiKey: string; readonly options: import('stripe').Stripe.StripeConfig }>;
  /** The secret that signs webhook deliveries (whsec_…). */
  webhookSecret(): Promise<string>;
}

export interface Adapters {
  readonly documents: DocumentStore;
  readonly mailer: Mailer;
  readonly secrets: Secrets;
  readonly payments: Payments;
  /** Base URL of the public pages and API (links sent to clients), without trailing slash. */
  readonly publicBaseUrl: () => string;
}

let current: Adapters | undefined;

/** The adapters of this runtime: the cloud ones unless the local runtime installed its own. */
export function adapters(): Adapters {
  current ??= meteredAdapters(cloudAdapters());
  return current;
}

/** The local runtime (and tests) install their adapters here, once, before serving. */
export function useAdapters(replacement: Adapters): void {
  // S3 requests and e-mails are counted per invocation whatever the runtime (functions/shared/metering.ts).
  current = meteredAdapters(replacement);
}
