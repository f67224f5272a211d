/**
 * Building blocks shared by every context's zod schemas, written with the house's zod (`./zod.ts`:
 * zod/mini and its English messages). Messages are English (API language); the field is named by the path.
 */
import * as z from './zod.ts';
import { vatRates } from './pricing.ts';
import { once } from './once.ts';
import { isFrenchPostalCode, isValidSiret, isDepartmentCode, normalisePhone } from './identifiers.ts';

/**
 * A schema built on its first call, then the same instance. Every route schema is declared so,
 * the call annotated pure: `export const CreateQuoteBody = ⟨@__PURE__⟩ lazy(() => z.strictObject({…}))`
 * (⟨…⟩ being a block comment), and used as `CreateQuoteBody()`; a contract takes `CreateQuoteBody`
 * itself. A function's cold start then builds only the schemas its own route validates, not all of
 * its context's: building a zod schema costs tens of microseconds and a context declares hundreds.
 * The annotation lets esbuild drop from a bundle the schemas its function never uses (esbuild 0.28
 * does not carry a `@__NO_SIDE_EFFECTS__` annotation on `lazy` across modules: each call says it).
 */
export function lazy<S extends z.ZodMiniType>(build: () => S): () => S {
  return once(build);
}

/**
 * Control characters: C0 (NUL…US, among them CR and LF), DEL, C1, and the Unicode line and
 * paragraph separators. In a name, a title or an address they break e-mail headers, PDF lines and
 * CSV exports (an e-mail subject with a LF is refused by the mailer, silently for the client).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the very characters this pattern refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The same, except LF: what a multi-line text may not hold. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the very characters this pattern refuses
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** No control character at all (single-line texts). */
export const isSingleLine = (value: string): boolean => !CONTROL.test(value);
/** No control character but LF (multi-line texts, CRLF already made LF). */
export const isMultiLine = (value: string): boolean => !CONTROL_BUT_LF.test(value);
/** CRLF and lone CR (as browsers and some clients send line breaks) become LF. */
export const normaliseLineBreaks = (value: string): string => value.replace(/\r\n?/g, '\n');

export const SINGLE_LINE_MESSAGE = 'must be a single line without control characters (CR, LF, tab, NUL…)';
export const MULTI_LINE_MESSAGE = 'must not contain control characters other than line feeds (NUL, tab, …)';

/**
 * A single-line text (name, title, address line, city, line description…): trimmed, 1..max
 * characters, no control character anywhere. `message` replaces the English one (client forms).
 */
export const singleLine = (max: number, message = SINGLE_LINE_MESSAGE) =>
  z
    .string()
    .check(
      z.refine(isSingleLine, { message, abort: true }),
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `must be at most ${max} characters`),
    );

/**
 * A free multi-line text (notes, a reason typed in a text area): line feeds allowed (CRLF and CR,
 * as browsers send them, become LF), no other control character; trimmed, 1..max characters.
 */
export const multiLine = (max: number, message = MULTI_LINE_MESSAGE) =>
  z
    .string()
    .check(
      z.overwrite(normaliseLineBreaks),
      z.refine(isMultiLine, { message, abort: true }),
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `must be at most ${max} characters`),
    );

/**
 * An optional text of a client's or a partner's form (a reason typed in a text area): as
 * `multiLine` (line feeds kept, no other control character, trimmed), empty allowed, with the
 * page's own French messages.
 */
export const formText = (max: number, messages: { readonly control: string; readonly tooLong: string }) =>
  z
    .string()
    .check(
      z.overwrite(normaliseLineBreaks),
      z.refine(isMultiLine, { message: messages.control, abort: true }),
      z.trim(),
      z.maxLength(max, messages.tooLong),
    );

export const Email = /* @__PURE__ */ lazy(() =>
  z.pipe(
    z.string().check(z.refine(isSingleLine, { message: SINGLE_LINE_MESSAGE, abort: true }), z.trim(), z.toLowerCase(), z.maxLength(254)),
    z.email('must be a valid e-mail address'),
  ),
);

export const Phone = /* @__PURE__ */ lazy(() =>
  z.pipe(
    z.string().check(z.maxLength(30), z.refine(isSingleLine, { message: SINGLE_LINE_MESSAGE, abort: true })),
    z.transform((value, ctx) => {
      const phone = normalisePhone(value);
      if (!phone) {
        ctx.issues.push({ code: 'custom', input: value, message: 'must be a valid phone number (e.g. 06 12 34 56 78 or +33612345678)' });
        return z.NEVER;
      }
      return phone;
    }),
  ),
);

export const Siret = /* @__PURE__ */ lazy(() =>
  z
    .string()
    .check(
      z.regex(/^\d{14}$/, { message: 'must be 14 digits', abort: true }),
      z.refine(isValidSiret, 'is not a valid SIRET (check digit)'),
      z.describe('SIRET: 14 digits, Luhn check digit'),
    ),
);

export const PostalCode = /* @__PURE__ */ lazy(() =>
  z.string().check(z.refine(isFrenchPostalCode, 'must be a French postal code of 5 digits'), z.describe('French postal code, 5 digits')),
);

export const EtdCode = /* @__PURE__ */ lazy(() =>
  z
    .string()
    .check(
      z.refine(isDepartmentCode, 'must be a French département code (e.g. "44", "2A", "974")'),
      z.describe('Code of a French département (ETD), e.g. "44" Loire-Atlantique'),
    ),
);

export const Address = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    line1: singleLine(120),
    line2: z.optional(singleLine(120)),
    postalCode: PostalCode(),
    city: singleLine(80),
  }),
);

export const Cents = /* @__PURE__ */ lazy(() =>
  z.number().check(z.int('must be a whole number of cents'), z.nonnegative('must not be negative')),
);

export const IsoDate = /* @__PURE__ */ lazy(() => z.iso.date('must be a date YYYY-MM-DD'));

export const Version = /* @__PURE__ */ lazy(() => z.number().check(z.int(), z.positive()));

export const Limit = /* @__PURE__ */ lazy(() =>
  z._default(
    z.coerce.number().check(z.int('must be a whole number'), z.gte(1, 'must be at least 1'), z.lte(100, 'must be at most 100')),
    20,
  ),
);

export const Cursor = /* @__PURE__ */ lazy(() => z.optional(z.string().check(z.maxLength(2048))));

export const Id = (prefix: string) => z.string().check(z.regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), 'is not a valid id'));

/** The audit fields of a stored record (spread into its schema: `...Audit()`). */
export const Audit = () => ({
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  version: z.number().check(z.int()),
});

/** Totals of priced lines (functions/shared/pricing.ts), in integer cents. */
export const TotalsSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    netCents: z.number().check(z.int()),
    vat: z.array(z.object({ rate: z.enum(vatRates), baseCents: z.number().check(z.int()), vatCents: z.number().check(z.int()) })),
    grossCents: z.number().check(z.int()),
    depositCents: z.number().check(z.int()),
  }),
);

/** A short-lived link to download a PDF. */
export const PdfLink = /* @__PURE__ */ lazy(() => z.object({ url: z.string(), expiresAt: z.string() }));

/** The token of a link sent to a client (quote or pay link): 256 bits, base64url. */
export const TokenParams = /* @__PURE__ */ lazy(() =>
  z.object({ token: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'is not a link token')) }),
);

/** A page of a list: its items and, when more follow, the cursor of the next page. */
export const Page = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });

/** Of a payment, what third parties financed, cents (PaymentReceived's `funding`): APA/PCH, pre-funded CESU, the avance immédiate. */
export const FundingSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    apaPchCents: z.optional(z.number().check(z.int())),
    prefundedCesuCents: z.optional(z.number().check(z.int())),
    avanceImmediateCents: z.optional(z.number().check(z.int())),
  }),
);
