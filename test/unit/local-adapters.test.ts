/** The local adapters (infra/local/adapters.ts) in a temporary data directory. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocumentNotFoundError } from '../../functions/shared/cloud-adapters.ts';
import {
  DEFAULT_LOCAL_MAIL_FROM,
  documentLink,
  encodeWords,
  localAdapters,
  openDocument,
  parseEml,
  quotedPrintable,
  readOutbox,
  verifyDocumentLink,
} from '../../infra/local/adapters.ts';

const BASE = 'http://127.0.0.1:4321';
const NOW = Date.parse('2025-11-25T10:00:00Z');
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'oui-adapters-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const make = (env: NodeJS.ProcessEnv = {}, now = () => NOW) => localAdapters({ dataDir, publicBaseUrl: `${BASE}/`, env, now });
const pathAndQuery = (url: string) => url.slice(BASE.length);

describe('documents', () => {
  const pdf = new TextEncoder().encode('%PDF-1.7 devis');

  it('round-trips the bytes under <DATA_DIR>/documents/<key>, with their SHA-256, and leaves no temporary file', async () => {
    const { documents } = make();
    const stored = await documents.put('quotes/44/D-2025-0001.pdf', pdf, 'application/pdf');
    expect(stored).toEqual({
      key: 'quotes/44/D-2025-0001.pdf',
      contentType: 'application/pdf',
      sha256: createHash('sha256').update(pdf).digest('hex'),
      bytes: pdf.byteLength,
    });
    expect(readFileSync(join(dataDir, 'documents/quotes/44/D-2025-0001.pdf'))).toEqual(Buffer.from(pdf));
    expect(readdirSync(join(dataDir, 'documents/quotes/44'))).toEqual(['D-2025-0001.pdf']);
    expect(await documents.get('quotes/44/D-2025-0001.pdf')).toEqual(pdf);
    expect(openDocument(dataDir, 'quotes/44/D-2025-0001.pdf')).toMatchObject({ contentType: 'application/pdf', bytes: pdf.byteLength });
  });

  it('replaces a document whole', async () => {
    const { documents } = make();
    await documents.put('a/b.pdf', pdf, 'application/pdf');
    await documents.put('a/b.pdf', new Uint8Array([1, 2]), 'application/pdf');
    expect(await documents.get('a/b.pdf')).toEqual(new Uint8Array([1, 2]));
  });

  it('answers DocumentNotFoundError for a missing key', async () => {
    await expect(make().documents.get('quotes/none.pdf')).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it.each(['../escape.pdf', 'quotes/../../escape.pdf', '/abs.pdf', 'a//b.pdf', 'a/./b.pdf', '', 'a\\..\\b.pdf', 'a/'])(
    'refuses the key %j',
    async (key) => {
      const { documents } = make();
      await expect(documents.put(key, pdf, 'application/pdf')).rejects.toBeInstanceOf(RangeError);
      await expect(documents.get(key)).rejects.toBeInstanceOf(RangeError);
      await expect(documents.link(key, { ttlSeconds: 60, fileName: 'x.pdf' })).rejects.toBeInstanceOf(RangeError);
      expect(existsSync(join(dataDir, 'escape.pdf'))).toBe(false);
    },
  );
});

describe('document links', () => {
  it('are signed links to the local server, valid until they expire', async () => {
    const { documents } = make();
    const { url, expiresAt } = await documents.link('quotes/44/D-2025-0001.pdf', { ttlSeconds: 600, fileName: 'Devis Hélène.pdf' });
    expect(expiresAt).toBe('2025-11-25T10:10:00.000Z');
    const parsed = new URL(url);
    expect(parsed.origin).toBe(BASE);
    expect(parsed.pathname).toBe('/_local/documents/quotes/44/D-2025-0001.pdf');
    expect(parsed.searchParams.get('expires')).toBe(String(NOW / 1000 + 600));
    expect(parsed.searchParams.get('name')).toBe('Devis Hélène.pdf');
    expect(verifyDocumentLink(dataDir, pathAndQuery(url), NOW + 599_000)).toEqual({
      ok: true,
      key: 'quotes/44/D-2025-0001.pdf',
      fileName: 'Devis Hélène.pdf',
      expires: NOW / 1000 + 600,
    });
    expect(verifyDocumentLink(dataDir, pathAndQuery(url), NOW + 600_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('use a random key of the data directory, kept 0600 and reused (links survive a restart)', async () => {
    const { url } = await make().documents.link('a.pdf', { ttlSeconds: 60, fileName: 'a.pdf' });
    const keyFile = join(dataDir, 'keys/documents-link-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const again = await make().documents.link('a.pdf', { ttlSeconds: 60, fileName: 'a.pdf' });
    expect(again.url).toBe(url);
    const elsewhere = mkdtempSync(join(tmpdir(), 'oui-adapters-other-'));
    try {
      expect(verifyDocumentLink(elsewhere, pathAndQuery(url), NOW)).toEqual({ ok: false, reason: 'invalid' });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuse any tampering, even of a link that has expired', () => {
    const expires = NOW / 1000 + 60;
    const url = new URL(documentLink(dataDir, BASE, 'quotes/a.pdf', expires, 'a.pdf'));
    const variants: ((u: URL) => void)[] = [
      (u) => u.searchParams.set('expires', String(expires + 3600)),
      (u) => u.searchParams.set('name', 'b.pdf'),
      (u) => (u.pathname = '/_local/documents/quotes/b.pdf'),
      (u) =>
        u.searchParams.set(
          'signature',
          u.searchParams.get('signature')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
        ),
      (u) => u.searchParams.delete('signature'),
      (u) => u.searchParams.set('expires', 'soon'),
    ];
    for (const change of variants) {
      const tampered = new URL(url);
      change(tampered);
      expect(verifyDocumentLink(dataDir, tampered.pathname + tampered.search, NOW), tampered.href).toEqual({
        ok: false,
        reason: 'invalid',
      });
      expect(verifyDocumentLink(dataDir, tampered.pathname + tampered.search, NOW + 3_600_000_000), tampered.href).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    expect(verifyDocumentLink(dataDir, '/_local/documents/..%2Fescape?expires=1&name=a&signature=x', NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });
});

describe('mailer: an outbox of .eml files', () => {
  const message = {
    to: 'helene.durand@example.test',
    subject: 'Votre devis n° D-2025-0001 – rénovation de la salle de bains',
    text: 'Bonjour Hélène,\n\nVotre devis est prêt : http://127.0.0.1:3000/q/abc?x=1\n\nÀ bientôt,\nOui Ensemble',
    html: '<p>Bonjour Hélène,</p><p><a href="http://127.0.0.1:3000/q/abc?x=1">Voir le devis</a></p>',
  };

  it('writes one well-formed RFC 5322 / MIME message per e-mail and returns its id', async () => {
    const { mailer } = make();
    const { messageId } = await mailer.send(message);
    const files = readdirSync(join(dataDir, 'outbox'));
    expect(files).toEqual([`20251125T100000.000Z-${messageId}.eml`]);
    const raw = readFileSync(join(dataDir, 'outbox', files[0]!), 'utf8');

    const [head, ...rest] = raw.split('\r\n\r\n');
    expect(rest.length).toBeGreaterThan(0);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF line ends only
    for (const line of raw.split('\r\n')) {
      expect(line.length, line).toBeLessThanOrEqual(78);
      expect(line, 'headers and QP bodies are 7-bit').toMatch(/^[\x20-\x7e\t]*$/);
    }
    const headers = head!.replace(/\r\n[ \t]/g, ' ');
    expect(headers).toMatch(/^From: "Oui Ensemble" <ne-pas-repondre@oui-ensemble\.fr>$/m);
    expect(headers).toMatch(/^To: helene\.durand@example\.test$/m);
    expect(headers).toMatch(/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=( =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=)*$/m);
    expect(headers).toMatch(/^Date: Tue, 25 Nov 2025 10:00:00 \+0000$/m);
    expect(headers).toMatch(new RegExp(`^Message-ID: <${messageId}@oui-ensemble\\.local>$`, 'm'));
    expect(headers).toMatch(/^MIME-Version: 1\.0$/m);
    expect(headers).toMatch(/^Content-Type: multipart\/alternative; boundary="[^"]+"$/m);
    expect(raw).toContain('Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable');
    expect(raw).toContain('Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable');
    expect(raw).toContain('Bonjour H=C3=A9l=C3=A8ne,');

    const parsed = parseEml(raw);
    expect(parsed).toMatchObject({
      messageId,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      from: DEFAULT_LOCAL_MAIL_FROM.replace('Oui Ensemble', '"Oui Ensemble"'),
    });
  });

  it('writes a single text/plain part when there is no HTML, and takes MAIL_FROM from the environment', async () => {
    const { mailer } = make({ MAIL_FROM: 'Équipe Oui <equipe@oui-ensemble.fr>' });
    await mailer.send({ to: 'a@example.test', subject: 'Plain subject', text: 'Texte seul.', replyTo: 'b@example.test' });
    const [only] = readOutbox(dataDir);
    expect(only).toMatchObject({
      to: 'a@example.test',
      subject: 'Plain subject',
      text: 'Texte seul.',
      from: 'Équipe Oui <equipe@oui-ensemble.fr>',
    });
    expect(only!.html).toBeUndefined();
    expect(only!.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(only!.headers['reply-to']).toBe('b@example.test');
    expect(only!.headers.from).toMatch(/^=\?UTF-8\?B\?/);
  });

  it('refuses header injection', async () => {
    await expect(make().mailer.send({ to: 'a@example.test\r\nBcc: x@example.test', subject: 's', text: 't' })).rejects.toBeInstanceOf(
      RangeError,
    );
  });

  it('lists the outbox oldest first', async () => {
    let now = NOW;
    const { mailer } = make({}, () => now);
    await mailer.send({ to: 'first@example.test', subject: 'un', text: '1' });
    now += 1000;
    await mailer.send({ to: 'second@example.test', subject: 'deux', text: '2' });
    expect(readOutbox(dataDir).map((m) => m.to)).toEqual(['first@example.test', 'second@example.test']);
    expect(readOutbox(join(dataDir, 'nowhere'))).toEqual([]);
  });

  it('encodes long UTF-8 subjects in words of at most 75 characters, whole characters only', () => {
    const subject = 'é'.repeat(100) + ' 🏠 fin';
    const encoded = encodeWords(subject);
    for (const word of encoded.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(60);
    expect(parseEml(`Subject: ${encoded}\r\n\r\n`).subject).toBe(subject);
  });

  it('quoted-printable keeps lines short, escapes "=" and trailing spaces, and decodes back', () => {
    const text = `${'a'.repeat(200)}=\nfin de ligne \nÀ`;
    const encoded = quotedPrintable(text);
    for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(encoded).toContain('=3D');
    expect(encoded).toContain('ligne=20');
    const raw = `Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${encoded}\r\n`;
    expect(parseEml(raw).text).toBe(text);
  });
});

describe('secrets', () => {
  it('come from the environment when set', async () => {
    expect(await make({ LINK_SIGNING_KEY: 'from-env' }).secrets.get('linkSigningKey')).toBe('from-env');
    expect(existsSync(join(dataDir, 'keys/link-signing-key'))).toBe(false);
  });

  it('otherwise are made once per data directory (0600) and reused', async () => {
    const first = await make().secrets.get('linkSigningKey');
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dataDir, 'keys/link-signing-key')).mode & 0o777).toBe(0o600);
    expect(await make().secrets.get('linkSigningKey')).toBe(first);
  });
});

describe('publicBaseUrl', () => {
  it('is the server URL without trailing slash, read when asked', () => {
    let url = '';
    const adapters = localAdapters({ dataDir, publicBaseUrl: () => url, env: {} });
    expect(() => adapters.publicBaseUrl()).toThrow(/not listening/);
    url = 'http://127.0.0.1:5555/';
    expect(adapters.publicBaseUrl()).toBe('http://127.0.0.1:5555');
  });
});
