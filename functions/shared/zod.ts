/**
 * The house's zod: `zod/mini` (functions, not methods, so a bundle carries only the validators its
 * schemas use; classic zod puts every method on every schema it builds, which made building a
 * route's body schema the largest part of a cold start), with zod's English messages, which
 * classic zod sets on import and `zod/mini` does not (its default is « Invalid input »). Import it
 * as `* as z` (never `zod` itself): the one place the locale is set, and only English of zod's
 * 257 locales reaches a bundle.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
