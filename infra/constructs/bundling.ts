/**
 * How every function is bundled: one description read by the house construct
 * (infra/constructs/function.ts, through NodejsFunction) and by scripts/bench.ts (through
 * esbuild's JS API), so the benchmark measures exactly what Lambda runs.
 *
 * Plain data on purpose: importing this module does not load aws-cdk-lib (the aliases are computed
 * when first asked for).
 */
import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { trimmedFontkit } from './fontkit-trim.ts';

/** The repository root: NodejsFunction's projectRoot, and esbuild's working directory. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The lock file NodejsFunction hashes and installs `nodeModules` from. */
export const depsLockFilePath = path.join(repoRoot, 'package-lock.json');

/**
 * ESM output needs `require` for the CommonJS packages esbuild inlines (they `require('node:…')`):
 * recreate it from import.meta.url.
 */
export const esmRequireBanner = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/** NodejsFunction `bundling` options (CDK spelling); `format` is CDK's OutputFormat value. */
export const bundlingOptions = {
  format: 'esm',
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  /** The Node.js 24 runtime ships AWS SDK v3: use it rather than bundle it. */
  externalModules: ['@aws-sdk/*'],
  banner: esmRequireBanner,
  /** esbuild prints warnings and errors only (no size summary per function). */
  logLevel: 'warning',
  forceDockerBundling: false,
} as const;

/**
 * Modules bundled in place of others (esbuild `alias`), each with the file that replaces it.
 * - `brotli/decompress.js`: fontkit imports it only to read WOFF2 fonts; the house fonts are
 *   TrueType, so the 475 KiB decoder left the PDF bundles (functions/shared/pdf/no-woff2.ts throws
 *   a clear error should a WOFF2 font ever be given).
 * - `fontkit`: a copy without its parts for fonts the house does not have (CFF, AAT, colour,
 *   bitmap and variable fonts, the other file formats), written on first use (./fontkit-trim.ts).
 * - `semver`: only the X-Ray SDK's AWS SDK v2 instrumentation asks for it (functions/shared/no-semver.ts).
 * - `http`, `node:http`: the module itself rather than Node's ES facade of it, whose making loads
 *   undici (functions/shared/node-http.cjs).
 * Computed once per process (the fontkit copy is checked, and written if absent).
 */
export function bundleAliases(): Readonly<Record<string, string>> {
  aliases ??= {
    'brotli/decompress.js': path.join(repoRoot, 'functions/shared/pdf/no-woff2.ts'),
    // pdfkit imports AES only to encrypt, which the house documents never are; the module builds its
    // tables when imported (5 ms). functions/shared/pdf/no-encryption.ts throws if ever called.
    '@noble/ciphers/aes': path.join(repoRoot, 'functions/shared/pdf/no-encryption.ts'),
    // The Unicode tables of unicode-properties, linebreak and fontkit, decoded and inflated when
    // imported: by Node's native base64 and zlib rather than in cold JavaScript (≈ 15 ms of import),
    // same bytes (test/unit/pdf-bundle-aliases.test.ts).
    'base64-js': path.join(repoRoot, 'functions/shared/pdf/native-base64.ts'),
    'tiny-inflate': path.join(repoRoot, 'functions/shared/pdf/native-inflate.cjs'),
    fontkit: trimmedFontkit(repoRoot),
    semver: path.join(repoRoot, 'functions/shared/no-semver.ts'),
    http: path.join(repoRoot, 'functions/shared/node-http.cjs'),
    'node:http': path.join(repoRoot, 'functions/shared/node-http.cjs'),
  };
  return aliases;
}
let aliases: Readonly<Record<string, string>> | undefined;

/**
 * Memory of every house function, MB (the construct's default): the local runtime's Lambda context
 * says the same, so the metering lines (GB-seconds) read alike in both runtimes.
 */
export const FUNCTION_MEMORY_MB = 512;

/** File name NodejsFunction gives an ESM bundle. */
export const bundleFileName = 'index.mjs';

/**
 * The same bundle through esbuild's JS API: `entry` relative to the repository root (as in the
 * route and job tables) or absolute; `outfile` where to write it (a `.map` lands next to it).
 */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions {
  return {
    absWorkingDir: repoRoot,
    entryPoints: [path.resolve(repoRoot, entry)],
    outfile: path.resolve(repoRoot, outfile),
    bundle: true,
    platform: 'node',
    format: bundlingOptions.format,
    target: bundlingOptions.target,
    minify: bundlingOptions.minify,
    sourcemap: bundlingOptions.sourceMap,
    sourcesContent: bundlingOptions.sourcesContent,
    mainFields: [...bundlingOptions.mainFields],
    external: [...bundlingOptions.externalModules],
    banner: { js: bundlingOptions.banner },
    logLevel: bundlingOptions.logLevel,
    alias: { ...bundleAliases() },
  };
}
