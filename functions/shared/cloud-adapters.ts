/**
 * The cloud adapters (see ./adapters.ts): S3 for documents, SES v2 for mail, Secrets Manager for
 * secrets. Built lazily: each SDK module is imported and its client created once, on first use,
 * so a function that never sends mail never loads SES. Configuration comes from the environment
 * the stack sets (infra/constructs/function.ts):
 *   DOCUMENTS_BUCKET   bucket of the issued documents (private; SSE by the bucket default)
 *   MAIL_FROM          "Name <address>" of a verified SES identity
 *   SECRET_<VAR>_ID    ARN of the secret behind routes.ts `secrets[key].envVar` (never its value)
 *   PUBLIC_BASE_URL    base URL of the public pages and API
 *
 * Secrets are read with GetSecretValue, each value cached five minutes per container.
 * Stripe: the official SDK against api.stripe.com, with the `stripeSecretKey` secret, created once
 * per container on first use (a rotated key is picked up by new containers).
 */
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { secrets as secretDefs, type SecretKey } from '../route-def.ts';
import type { Adapters, DocumentStore, Mailer, MailMessage, Payments, Secrets, StoredDocument } from './adapters.ts';

/** How long a secret read from Secrets Manager is reused by a warm container. */
export const SECRET_MAX_AGE_SECONDS = 300;
/** SigV4 presigned URLs cannot outlive 7 days. */
export const MAX_LINK_TTL_SECONDS = 7 * 24 * 3600;

/** The stored document does not exist (or this function may not read it). */
export class DocumentNotFoundError extends Error {
  readonly key: string;
  constructor(key: string) {
    super(`No document under ${key}`);
    this.name = 'DocumentNotFoundError';
    this.key = key;
  }
}

function requireEnv(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set: the stack grants this capability with its environment variable`);
  return value;
}

/** Environment variable holding the secret's ARN: `SECRET_<ENVVAR>_ID`. */
export const secretIdEnvVar = (key: SecretKey): string => `SECRET_${secretDefs[key].envVar}_ID`;

/** Hex SHA-256 of the bytes. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function checkLinkTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_LINK_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be an integer between 1 and ${MAX_LINK_TTL_SECONDS}, not ${ttlSeconds}`);
  }
}

/** An upload's declared length must be a positive integer within its limit. */
export function checkUploadLength(bytes: number, maxBytes: number): void {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > maxBytes) {
    throw new RangeError(`bytes must be an integer between 1 and ${maxBytes}, not ${bytes}`);
  }
}

/**
 * `Content-Disposition: attachment` for a file name (RFC 6266): an ASCII `filename` fallback
 * (accents dropped, quotes and controls replaced) and the exact UTF-8 name in `filename*` (RFC 8187).
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A promise made once, on first call; made again if it failed. */
function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}

// ---- Documents: S3 ------------------------------------------------------------------------------

function s3Documents(): DocumentStore {
  const client = lazy(async () => {
    const { S3Client } = await import('@aws-sdk/client-s3');
    return new S3Client({}) as S3Client;
  });

  return {
    async put(key, body, contentType): Promise<StoredDocument> {
      const { PutObjectCommand } = await import('@aws-sdk/client-s3');
      const digest = createHash('sha256').update(body).digest();
      // Encryption: the bucket default (SSE-S3), so a later switch to KMS needs no code change.
      // S3 checks the body against ChecksumSHA256 and refuses a corrupted upload.
      await (await client()).send(
        new PutObjectCommand({
          Bucket: requireEnv('DOCUMENTS_BUCKET'),
          Key: key,
          Body: body,
          ContentType: contentType,
          ChecksumSHA256: digest.toString('base64'),
        }),
      );
      return { key, contentType, sha256: digest.toString('hex'), bytes: body.byteLength };
    },

    async get(key) {
      const { GetObjectCommand } = await import('@aws-sdk/client-s3');
      try {
        const result = await (await client()).send(new GetObjectCommand({ Bucket: requireEnv('DOCUMENTS_BUCKET'), Key: key }));
        if (!result.Body) throw new DocumentNotFoundError(key);
        return await result.Body.transformToByteArray();
      } catch (error) {
        // Without s3:ListBucket (never granted) a missing key answers AccessDenied, not NoSuchKey.
        const name = (error as { name?: string }).name;
        if (name === 'NoSuchKey' || name === 'NotFound' || name === 'AccessDenied') throw new DocumentNotFoundError(key);
        throw error;
      }
    },

    // A presigned GetObject URL. It is valid for ttlSeconds or until the function's session
    // credentials expire, whichever comes first: make links when they are shown, not ahead.
    async link(key, { ttlSeconds, fileName }) {
      checkLinkTtl(ttlSeconds);
      const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([
        import('@aws-sdk/client-s3'),
        import('@aws-sdk/s3-request-presigner'),
      ]);
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000).toISOString();
      const command = new GetObjectCommand({
        Bucket: requireEnv('DOCUMENTS_BUCKET'),
        Key: key,
        ResponseContentDisposition: attachmentDisposition(fileName),
      });
      const url = await getSignedUrl(await client(), command, { expiresIn: ttlSeconds });
      return { url, expiresAt };
    },

    // A presigned PutObject URL whose signature covers the content type and the exact length
    // (the presigner leaves content-type unsigned unless told): S3 refuses any other upload.
    async uploadLink(key, { contentType, bytes, maxBytes, ttlSeconds }) {
      checkLinkTtl(ttlSeconds);
      checkUploadLength(bytes, maxBytes);
      const [{ PutObjectCommand }, { getSignedUrl }] = await Promise.all([
        import('@aws-sdk/client-s3'),
        import('@aws-sdk/s3-request-presigner'),
      ]);
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000).toISOString();
      const command = new PutObjectCommand({
        Bucket: requireEnv('DOCUMENTS_BUCKET'),
        Key: key,
        ContentType: contentType,
        ContentLength: bytes,
      });
      const url = await getSignedUrl(await client(), command, {
        expiresIn: ttlSeconds,
        signableHeaders: new Set(['content-type', 'content-length']),
      });
      return { url, method: 'PUT', headers: { 'content-type': contentType, 'content-length': String(bytes) }, expiresAt };
    },
  };
}

// ---- Mail: SES v2 -------------------------------------------------------------------------------

function sesMailer(): Mailer {
  const client = lazy(async () => {
    const { SESv2Client } = await import('@aws-sdk/client-sesv2');
    return new SESv2Client({}) as SESv2Client;
  });

  return {
    async send(message: MailMessage) {
      const { SendEmailCommand } = await import('@aws-sdk/client-sesv2');
      const charset = 'UTF-8';
      const result = await (await client()).send(
        new SendEmailCommand({
          FromEmailAddress: requireEnv('MAIL_FROM'),
          Destination: { ToAddresses: [message.to] },
          ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: charset },
              Body: {
                Text: { Data: message.text, Charset: charset },
                ...(message.html ? { Html: { Data: message.html, Charset: charset } } : {}),
              },
            },
          },
        }),
      );
      if (!result.MessageId) throw new Error('SES accepted the message without a MessageId');
      return { messageId: result.MessageId };
    },
  };
}

// ---- Secrets: Secrets Manager -------------------------------------------------------------------

export class SecretReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretReadError';
  }
}

/**
 * Secrets Manager's GetSecretValue, one client per container, each value reused `SECRET_MAX_AGE_SECONDS`
 * (concurrent first reads share one call). The client module is imported on first use, like S3's and
 * SES's: Powertools parameters' `getSecret` did the same caching, but its module imports the Secrets
 * Manager client statically, and in a one-file ESM bundle esbuild hoists that external import to the
 * top, so every function (granted secrets or not) loaded the client at cold start (~6 ms).
 */
function secretsManagerSecrets(): Secrets {
  const sdk = lazy(async () => {
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    return { client: new SecretsManagerClient({}), GetSecretValueCommand };
  });
  const cache = new Map<string, { readonly value: Promise<string | undefined>; readonly until: number }>();
  const read = async (secretId: string): Promise<string | undefined> => {
    const { client, GetSecretValueCommand } = await sdk();
    return (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  };
  return {
    async get(key) {
      const secretId = requireEnv(secretIdEnvVar(key));
      const now = Date.now();
      let cached = cache.get(secretId);
      if (!cached || cached.until <= now) {
        cached = { value: read(secretId), until: now + SECRET_MAX_AGE_SECONDS * 1000 };
        cache.set(secretId, cached);
      }
      let value: string | undefined;
      try {
        value = await cached.value;
      } catch (error) {
        if (cache.get(secretId) === cached) cache.delete(secretId);
        // The error type only: never the message at large, never the secret's neighbours.
        throw new SecretReadError(`Secrets Manager GetSecretValue failed: ${(error as Error).name}`);
      }
      if (typeof value !== 'string' || value === '') throw new SecretReadError(`the secret ${key} is empty`);
      return value;
    },
  };
}

// ---- Payments: Stripe ----------------------------------------------------------------------------

/** Stripe timeouts and retries for a function that must answer within API Gateway's 29 s. */
export const STRIPE_TIMEOUT_MS = 6000;
export const STRIPE_MAX_NETWORK_RETRIES = 1;

function stripePayments(secrets: () => Secrets): Payments {
  return {
    connection: async () => ({
      apiKey: await secrets().get('stripeSecretKey'),
      options: {
        maxNetworkRetries: STRIPE_MAX_NETWORK_RETRIES,
        timeout: STRIPE_TIMEOUT_MS,
        telemetry: false,
        appInfo: { name: 'oui-ensemble-back-office' },
      },
    }),
    webhookSecret: () => secrets().get('stripeWebhookSecret'),
  };
}

// ---- Composition ---------------------------------------------------------------------------------

export function cloudAdapters(): Adapters {
  let documents: DocumentStore | undefined;
  let mailer: Mailer | undefined;
  let secrets: Secrets | undefined;
  let payments: Payments | undefined;
  const secretsOnce = () => (secrets ??= secretsManagerSecrets());
  return {
    get documents() {
      documents ??= s3Documents();
      return documents;
    },
    get mailer() {
      mailer ??= sesMailer();
      return mailer;
    },
    get secrets() {
      return secretsOnce();
    },
    get payments() {
      payments ??= stripePayments(secretsOnce);
      return payments;
    },
    publicBaseUrl: () => requireEnv('PUBLIC_BASE_URL').replace(/\/+$/, ''),
  };
}
