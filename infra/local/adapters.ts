/**
 * The local adapters (see functions/shared/adapters.ts), installed by `npm start`, `npm run invoke`
 * and the e2e helper with `useAdapters(localAdapters({ dataDir, publicBaseUrl }))`:
 *   documents  files under <DATA_DIR>/documents/<key> (written aside, then renamed into place),
 *              their content type and hash under <DATA_DIR>/document-meta/<key>.json; links are
 *              `/_local/documents/<key>?expires&name&signature`, HMAC-signed with a random key of
 *              the data directory (<DATA_DIR>/keys/documents-link-key), served by the local server
 *              with the same expiring-link semantics as an S3 presigned URL
 *   mail       one RFC 5322 message per e-mail in <DATA_DIR>/outbox/<time>-<messageId>.eml
 *   secrets    the environment variable of routes.ts `secrets` (e.g. LINK_SIGNING_KEY); when unset,
 *              a random value made once per data directory (<DATA_DIR>/keys/<name>, 0600), so
 *              links sent earlier stay valid across restarts — for the `generated` ones only; the
 *              Stripe key and webhook secret are never made up: the stand-in's, or an error
 *   payments   the `stripe` SDK: with STRIPE_SECRET_KEY set (a test key), real Stripe, webhooks
 *              signed with STRIPE_WEBHOOK_SECRET; otherwise the embedded stand-in given as
 *              `stripeStandIn` (infra/local/stripe/index.ts), reached over http://127.0.0.1
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { secrets as secretDefs, type SecretKey } from '../../functions/routes.ts';
import type { Adapters, DocumentStore, Mailer, MailMessage, Payments, Secrets, StoredDocument } from '../../functions/shared/adapters.ts';
import { checkLinkTtl, checkUploadLength, DocumentNotFoundError, sha256Hex } from '../../functions/shared/cloud-adapters.ts';
import { withGrantChecks } from './grants.ts';
import { useLocalMetering } from './metering.ts';

export const DEFAULT_LOCAL_MAIL_FROM = 'Oui Ensemble <ne-pas-repondre@oui-ensemble.fr>';
/** Path under which the local server serves document links (not in the route table). */
export const DOCUMENT_LINK_PATH = '/_local/documents/';
/** Path under which the local server takes signed uploads (PUT; the S3 presigned PUT stand-in). */
export const UPLOAD_LINK_PATH = '/_local/uploads/';

export interface LocalAdaptersOptions {
  readonly dataDir: string;
  /** The local server's URL (a function when it is known only once the server listens). */
  readonly publicBaseUrl: string | (() => string);
  /** Where MAIL_FROM and the secrets' variables are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Clock in milliseconds (tests). */
  readonly now?: () => number;
  /** The Stripe stand-in to use when STRIPE_SECRET_KEY is not set (its handle fits). */
  readonly stripeStandIn?: StripeStandInConnection;
}

/** What the SDK needs to reach the stand-in (infra/local/stripe/index.ts). */
export interface StripeStandInConnection {
  readonly port: number;
  readonly apiKey: string;
  readonly webhookSecret: string;
}

// ---- Files ------------------------------------------------------------------------------------

/** Writes `path` whole or not at all: a temporary file next to it, then a rename. */
async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${process.pid}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * A random key kept in <dataDir>/keys/<name> (0600), made on first use. Written aside and linked
 * into place, so two processes starting together agree on one key.
 */
export function loadOrCreateKeyFile(dataDir: string, name: string, make: () => string): string {
  const path = join(dataDir, 'keys', name);
  const read = () => {
    chmodSync(path, 0o600);
    const value = readFileSync(path, 'utf8').trim();
    if (!value) throw new Error(`${path} is empty; delete it to create a new key`);
    return value;
  };
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  createKeyFileOnce(path, make() + '\n');
  return read();
}

/**
 * Writes a key file (0600, in a 0700 folder) unless it exists: written aside, then linked into
 * place, so the link fails if another process won and nobody ever reads a half-written key.
 */
export function createKeyFileOnce(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
}

/** The segments of a document key: `/`-separated, relative, no empty, `.` or `..` segment. */
export function keySegments(key: string): string[] {
  const segments = key.split('/');
  const bad = key === '' || /[\\\0]/.test(key) || segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad)
    throw new RangeError(`invalid document key ${JSON.stringify(key)}: a relative /-separated path without empty, "." or ".." segments`);
  return segments;
}

/** The file of `key` under `root`, never outside it. */
function fileUnder(root: string, key: string, suffix = ''): string {
  const base = resolve(root);
  const path = resolve(base, ...keySegments(key)) + suffix;
  if (!path.startsWith(base + sep)) throw new RangeError(`invalid document key ${JSON.stringify(key)}`);
  return path;
}

const documentsRoot = (dataDir: string) => join(dataDir, 'documents');
const metaRoot = (dataDir: string) => join(dataDir, 'document-meta');
export const outboxDir = (dataDir: string): string => join(dataDir, 'outbox');

// ---- Document links ---------------------------------------------------------------------------

const linkKey = (dataDir: string) => loadOrCreateKeyFile(dataDir, 'documents-link-key', () => randomBytes(32).toString('hex'));

function linkSignature(dataDir: string, key: string, expires: number, name: string): string {
  return createHmac('sha256', linkKey(dataDir)).update(`${key}\n${expires}\n${name}`).digest('base64url');
}

const encodeKey = (key: string) => keySegments(key).map(encodeURIComponent).join('/');

/** A signed link to `key` valid until `expires` (epoch seconds). */
export function documentLink(dataDir: string, baseUrl: string, key: string, expires: number, fileName: string): string {
  const query = new URLSearchParams({
    expires: String(expires),
    name: fileName,
    signature: linkSignature(dataDir, key, expires, fileName),
  });
  return `${baseUrl.replace(/\/+$/, '')}${DOCUMENT_LINK_PATH}${encodeKey(key)}?${query.toString()}`;
}

export type DocumentLinkCheck =
  | { readonly ok: true; readonly key: string; readonly fileName: string; readonly expires: number }
  | { readonly ok: false; readonly reason: 'invalid' | 'expired' };

/**
 * Checks a document link (path and query as received): the signature first, so a tampered link
 * is `invalid` whatever its date, then the expiry.
 */
export function verifyDocumentLink(dataDir: string, pathAndQuery: string, nowMs: number = Date.now()): DocumentLinkCheck {
  let url: URL;
  try {
    url = new URL(pathAndQuery, 'http://local');
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!url.pathname.startsWith(DOCUMENT_LINK_PATH)) return { ok: false, reason: 'invalid' };
  let key: string;
  try {
    key = url.pathname.slice(DOCUMENT_LINK_PATH.length).split('/').map(decodeURIComponent).join('/');
    keySegments(key);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const expiresText = url.searchParams.get('expires') ?? '';
  const name = url.searchParams.get('name');
  const signature = url.searchParams.get('signature') ?? '';
  if (!/^\d{1,12}$/.test(expiresText) || name === null || !signature) return { ok: false, reason: 'invalid' };
  const expires = Number(expiresText);
  const expected = Buffer.from(linkSignature(dataDir, key, expires, name));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  if (nowMs >= expires * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, key, fileName: name, expires };
}

// ---- Upload links (the S3 presigned PUT stand-in) ---------------------------------------------

function uploadSignature(dataDir: string, key: string, expires: number, contentType: string, bytes: number): string {
  return createHmac('sha256', linkKey(dataDir)).update(`upload\n${key}\n${expires}\n${contentType}\n${bytes}`).digest('base64url');
}

/** A signed link that uploads `key` with exactly this content type and length, until `expires` (epoch seconds). */
export function uploadLinkUrl(dataDir: string, baseUrl: string, key: string, expires: number, contentType: string, bytes: number): string {
  const query = new URLSearchParams({
    expires: String(expires),
    type: contentType,
    bytes: String(bytes),
    signature: uploadSignature(dataDir, key, expires, contentType, bytes),
  });
  return `${baseUrl.replace(/\/+$/, '')}${UPLOAD_LINK_PATH}${encodeKey(key)}?${query.toString()}`;
}

export type UploadLinkCheck =
  | { readonly ok: true; readonly key: string; readonly contentType: string; readonly bytes: number }
  | { readonly ok: false; readonly reason: 'invalid' | 'expired' };

/** Checks an upload link (path and query as received): the signature first, then the expiry. */
export function verifyUploadLink(dataDir: string, pathAndQuery: string, nowMs: number = Date.now()): UploadLinkCheck {
  let url: URL;
  try {
    url = new URL(pathAndQuery, 'http://local');
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!url.pathname.startsWith(UPLOAD_LINK_PATH)) return { ok: false, reason: 'invalid' };
  let key: string;
  try {
    key = url.pathname.slice(UPLOAD_LINK_PATH.length).split('/').map(decodeURIComponent).join('/');
    keySegments(key);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const expiresText = url.searchParams.get('expires') ?? '';
  const bytesText = url.searchParams.get('bytes') ?? '';
  const contentType = url.searchParams.get('type');
  const signature = url.searchParams.get('signature') ?? '';
  if (!/^\d{1,12}$/.test(expiresText) || !/^\d{1,12}$/.test(bytesText) || !contentType || !signature)
    return { ok: false, reason: 'invalid' };
  const expires = Number(expiresText);
  const bytes = Number(bytesText);
  const expected = Buffer.from(uploadSignature(dataDir, key, expires, contentType, bytes));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  if (nowMs >= expires * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, key, contentType, bytes };
}

/** Stores an upload received through a verified link, as the documents store would. */
export async function storeUpload(dataDir: string, key: string, body: Uint8Array, contentType: string): Promise<StoredDocument> {
  const stored: StoredDocument = { key, contentType, sha256: sha256Hex(body), bytes: body.byteLength };
  await writeAtomically(fileUnder(documentsRoot(dataDir), key), body);
  await writeAtomically(fileUnder(metaRoot(dataDir), key, '.json'), JSON.stringify(stored, null, 2) + '\n');
  return stored;
}

export interface OpenedDocument {
  readonly path: string;
  readonly contentType: string;
  readonly bytes: number;
}

/** The file behind a verified key, with its content type; undefined when it does not exist. */
export function openDocument(dataDir: string, key: string): OpenedDocument | undefined {
  const path = fileUnder(documentsRoot(dataDir), key);
  try {
    const { size } = statSync(path);
    let contentType = 'application/pdf';
    try {
      contentType =
        (JSON.parse(readFileSync(fileUnder(metaRoot(dataDir), key, '.json'), 'utf8')) as StoredDocument).contentType || contentType;
    } catch {
      // no metadata: a PDF, like every document stored so far
    }
    return { path, contentType, bytes: size };
  } catch {
    return undefined;
  }
}

function localDocuments(dataDir: string, baseUrl: () => string, now: () => number): DocumentStore {
  return {
    async put(key, body, contentType) {
      const path = fileUnder(documentsRoot(dataDir), key);
      const stored: StoredDocument = { key, contentType, sha256: sha256Hex(body), bytes: body.byteLength };
      await writeAtomically(path, body);
      await writeAtomically(fileUnder(metaRoot(dataDir), key, '.json'), JSON.stringify(stored, null, 2) + '\n');
      return stored;
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(fileUnder(documentsRoot(dataDir), key)));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw new DocumentNotFoundError(key);
        throw error;
      }
    },
    async link(key, { ttlSeconds, fileName }) {
      checkLinkTtl(ttlSeconds);
      keySegments(key);
      const expires = Math.floor(now() / 1000) + ttlSeconds;
      return { url: documentLink(dataDir, baseUrl(), key, expires, fileName), expiresAt: new Date(expires * 1000).toISOString() };
    },
    async uploadLink(key, { contentType, bytes, maxBytes, ttlSeconds }) {
      checkLinkTtl(ttlSeconds);
      checkUploadLength(bytes, maxBytes);
      keySegments(key);
      const expires = Math.floor(now() / 1000) + ttlSeconds;
      return {
        url: uploadLinkUrl(dataDir, baseUrl(), key, expires, contentType, bytes),
        method: 'PUT',
        headers: { 'content-type': contentType, 'content-length': String(bytes) },
        expiresAt: new Date(expires * 1000).toISOString(),
      };
    },
  };
}

// ---- Mail: an outbox of .eml files --------------------------------------------------------------

const CRLF = '\r\n';
const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** RFC 2047 encoded words (B encoding, UTF-8), 60 characters at most, whole characters only, folded. */
export function encodeWords(text: string): string {
  if (isAscii(text)) return text;
  const words: string[] = [];
  let chunk = '';
  const flush = () => {
    if (chunk) words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
    chunk = '';
  };
  // 36 bytes of UTF-8 make 48 base64 characters: a word of 60, which leaves room on its line for
  // a header name ("Subject: ") within the 76 characters RFC 2047 allows.
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > 36) flush();
    chunk += char;
  }
  flush();
  return words.join(`${CRLF} `);
}

/** A mailbox `Name <address>` with its display name encoded when needed. */
function encodeMailbox(mailbox: string): string {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(mailbox);
  if (!match) return mailbox.trim();
  const [, name = '', address = ''] = match;
  if (!name) return `<${address}>`;
  const unquoted = name.replace(/^"(.*)"$/, '$1');
  return isAscii(unquoted) ? `"${unquoted.replace(/["\\]/g, '\\$&')}" <${address}>` : `${encodeWords(unquoted)}${CRLF} <${address}>`;
}

/** Quoted-printable (RFC 2045) of UTF-8 text, CRLF line ends, lines of at most 76 characters. */
export function quotedPrintable(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, '\n')
    .split('\n')
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      const out: string[] = [];
      let current = '';
      bytes.forEach((byte, index) => {
        const last = index === bytes.length - 1;
        const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
        const token = literal ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
        if (current.length + token.length > 75) {
          out.push(`${current}=`);
          current = '';
        }
        current += token;
      });
      out.push(current);
      return out.join(CRLF);
    })
    .join(CRLF);
}

/** RFC 5322 date-time in UTC: `Tue, 25 Nov 2025 19:38:00 +0000`. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** A whole RFC 5322 / MIME message. */
export function buildEml(message: MailMessage & { from: string; messageId: string; date: Date }): string {
  for (const value of [message.to, message.from, message.replyTo ?? '', message.subject]) {
    if (/[\r\n]/.test(value)) throw new RangeError('header values cannot contain line breaks');
  }
  const headers = [
    `From: ${encodeMailbox(message.from)}`,
    `To: ${encodeMailbox(message.to)}`,
    ...(message.replyTo ? [`Reply-To: ${encodeMailbox(message.replyTo)}`] : []),
    `Subject: ${encodeWords(message.subject)}`,
    `Date: ${rfc5322Date(message.date)}`,
    `Message-ID: <${message.messageId}@oui-ensemble.local>`,
    'MIME-Version: 1.0',
  ];
  const part = (type: string, body: string) =>
    [`Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: quoted-printable', '', quotedPrintable(body)].join(CRLF);
  if (message.html === undefined) return [...headers, part('text/plain', message.text), ''].join(CRLF);
  const boundary = `=_oui_${randomUUID()}`;
  return [
    ...headers,
    `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"`,
    '',
    `--${boundary}`,
    part('text/plain', message.text),
    `--${boundary}`,
    part('text/html', message.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/** `20251125T193800.123Z`: ISO 8601 (basic format), sortable, and a valid file name everywhere. */
const fileTime = (date: Date) => date.toISOString().replace(/[-:]/g, '');

function outboxMailer(dataDir: string, from: () => string, now: () => number): Mailer {
  return {
    async send(message) {
      const date = new Date(now());
      const messageId = `local-${randomUUID()}`;
      const eml = buildEml({ ...message, from: from(), messageId, date });
      await writeAtomically(join(outboxDir(dataDir), `${fileTime(date)}-${messageId}.eml`), eml);
      return { messageId };
    },
  };
}

// ---- Reading the outbox (tests, and anyone curious) --------------------------------------------

export interface OutboxMessage {
  readonly file: string;
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly date: string;
  readonly text: string;
  readonly html?: string;
  /** Every header, names lower-cased, values unfolded (not decoded). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Decodes RFC 2047 encoded words (B and Q, UTF-8). */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function decodeQuotedPrintable(body: string): string {
  const soft = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body).replace(/\r\n/g, '\n');
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8').replace(/\r\n/g, '\n');
  return body.replace(/\r\n/g, '\n');
}

/** Parses one .eml as written by the outbox mailer (plain text, or multipart/alternative). */
export function parseEml(raw: string, file = ''): OutboxMessage {
  const { headers, body } = splitEntity(raw);
  let text = '';
  let html: string | undefined;
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (boundary && /^multipart\//i.test(headers['content-type'] ?? '')) {
    const parts = body
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'));
    for (const part of parts) {
      const entity = splitEntity(part.replace(/^\r\n/, '').replace(/\r\n$/, ''));
      const type = (entity.headers['content-type'] ?? '').toLowerCase();
      if (type.startsWith('text/plain')) text = decodeBody(entity.headers, entity.body);
      else if (type.startsWith('text/html')) html = decodeBody(entity.headers, entity.body);
    }
  } else {
    text = decodeBody(headers, body.replace(/\r\n$/, ''));
  }
  const mailbox = (value: string) => decodeWords(value).replace(/^.*<([^>]+)>\s*$/, '$1');
  return {
    file,
    messageId: (headers['message-id'] ?? '').replace(/^<(.*)@[^@>]*>$/, '$1'),
    from: decodeWords(headers.from ?? ''),
    to: mailbox(headers.to ?? ''),
    subject: decodeWords(headers.subject ?? ''),
    date: headers.date ?? '',
    text,
    ...(html !== undefined ? { html } : {}),
    headers,
  };
}

/** The messages of <dataDir>/outbox, oldest first. */
export function readOutbox(dataDir: string): OutboxMessage[] {
  let files: string[];
  try {
    files = readdirSync(outboxDir(dataDir))
      .filter((f) => f.endsWith('.eml'))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return files.map((file) => parseEml(readFileSync(join(outboxDir(dataDir), file), 'utf8'), file));
}

// ---- Secrets ---------------------------------------------------------------------------------------

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function envSecrets(dataDir: string, env: NodeJS.ProcessEnv, standIn: StripeStandInConnection | undefined): Secrets {
  return {
    get(key: SecretKey) {
      const def = secretDefs[key];
      const fromEnv = env[def.envVar];
      if (fromEnv) return Promise.resolve(fromEnv);
      if (!def.generated) {
        // Set by operators: never made up. Offline without a Stripe key, the stand-in's own.
        const fromStandIn =
          key === 'stripeSecretKey' ? standIn?.apiKey : key === 'stripeWebhookSecret' ? standIn?.webhookSecret : undefined;
        if (fromStandIn && !env.STRIPE_SECRET_KEY) return Promise.resolve(fromStandIn);
        return Promise.reject(new Error(`${def.envVar} is not set`));
      }
      return Promise.resolve(loadOrCreateKeyFile(dataDir, kebab(key), () => randomBytes(32).toString('hex')));
    },
  };
}

// ---- Payments: real Stripe with a test key, or the stand-in ------------------------------------

export class StripeNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StripeNotConfiguredError';
  }
}

/**
 * STRIPE_SECRET_KEY set: real Stripe, unchanged (test keys only: the local runtime never moves real
 * money); its webhooks are signed with STRIPE_WEBHOOK_SECRET (e.g. from `stripe listen`).
 * Otherwise the stand-in, over http://127.0.0.1:<port>, no retries, no telemetry.
 */
function localPayments(env: NodeJS.ProcessEnv, standIn: StripeStandInConnection | undefined): Payments {
  const notConfigured = () =>
    new StripeNotConfiguredError('Stripe is not configured: set STRIPE_SECRET_KEY=sk_test_… or start the Stripe stand-in');
  return {
    async connection() {
      const key = env.STRIPE_SECRET_KEY?.trim();
      if (key) {
        if (!/^(sk|rk)_test_/.test(key))
          throw new StripeNotConfiguredError('STRIPE_SECRET_KEY must be a test key (sk_test_…) in the local runtime');
        return {
          apiKey: key,
          options: { maxNetworkRetries: 2, timeout: 8000, telemetry: false, appInfo: { name: 'oui-ensemble-back-office (local)' } },
        };
      }
      if (!standIn) throw notConfigured();
      return {
        apiKey: standIn.apiKey,
        options: { host: '127.0.0.1', port: standIn.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false },
      };
    },
    webhookSecret() {
      if (env.STRIPE_SECRET_KEY?.trim()) {
        const secret = env.STRIPE_WEBHOOK_SECRET?.trim();
        return secret
          ? Promise.resolve(secret)
          : Promise.reject(new StripeNotConfiguredError('STRIPE_WEBHOOK_SECRET is not set (whsec_…, e.g. from `stripe listen`)'));
      }
      return standIn ? Promise.resolve(standIn.webhookSecret) : Promise.reject(notConfigured());
    },
  };
}

// ---- Composition ---------------------------------------------------------------------------------

export function localAdapters(options: LocalAdaptersOptions): Adapters {
  const dataDir = resolve(options.dataDir);
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const base = () => {
    const configured = typeof options.publicBaseUrl === 'function' ? options.publicBaseUrl() : options.publicBaseUrl;
    if (!configured) throw new Error('the local public base URL is not known yet (the server is not listening)');
    return configured.replace(/\/+$/, '');
  };
  // The metering lines of every invocation go to this data directory's local log, where the daily
  // cost job reads them (infra/local/metering.ts): installed with the adapters, so every offline
  // runtime (npm start, npm run invoke, the test servers) has them.
  useLocalMetering(dataDir);
  // Inside a function (infra/local/grants.ts), each call is checked against its grants first.
  return withGrantChecks({
    documents: localDocuments(dataDir, base, now),
    mailer: outboxMailer(dataDir, () => env.MAIL_FROM || DEFAULT_LOCAL_MAIL_FROM, now),
    secrets: envSecrets(dataDir, env, options.stripeStandIn),
    payments: localPayments(env, options.stripeStandIn),
    publicBaseUrl: base,
  });
}
