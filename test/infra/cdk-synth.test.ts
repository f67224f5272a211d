/**
 * The real thing: `npx cdk synth --quiet` as the CLI runs it (cdk.json, Node 24, local esbuild),
 * so every handler of the route and job tables is bundled. Needs every handler file to exist.
 */
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consumers } from '../../functions/consumers.ts';
import { jobs } from '../../functions/jobs.ts';
import { routes } from '../../functions/routes.ts';
import { bundleFileName, esbuildOptionsFor, esmRequireBanner, repoRoot } from '../../infra/constructs/bundling.ts';
import { flattenNested, type TemplateJson } from './synth.ts';

const handlers = [...new Set([...routes, ...jobs].map((d) => d.handler))];
const STACKS = ['OuiEnsemble-Stateful', 'OuiEnsemble-Stateless'];

describe('cdk synth (real bundling)', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'oui-cdk-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** `cdk synth` as the CLI runs it, once, by whichever test needs it first (each test passes alone, in any order). */
  let synthesis: { readonly status: number | null; readonly output: string } | undefined;
  function synth(): { readonly status: number | null; readonly output: string } {
    if (synthesis) return synthesis;
    // No credentials in the child: the CLI must not try to reach AWS for an account.
    const env: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' };
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[name];
    const started = Date.now();
    const run = spawnSync('npx', ['--no-install', 'cdk', 'synth', '--quiet', '--output', outdir], {
      cwd: repoRoot,
      env,
      encoding: 'utf8',
      timeout: 590_000,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    synthesis = { status: run.status, output: `cdk synth exited ${run.status} after ${seconds}s\n${run.stderr}\n${run.stdout}` };
    return synthesis;
  }

  /** The Lambda functions of the stateless template, and the bundle of each (its path in the output, by asset). */
  function functionsAndBundles() {
    const run = synth();
    expect(run.status, run.output).toBe(0);
    // The functions live in the nested stacks of the stateless stack (one per context): their
    // templates are files of the output, named by the nested-stack resource's asset path.
    const read = (file: string) => JSON.parse(readFileSync(path.join(outdir, file), 'utf8')) as TemplateJson;
    const template = flattenNested(read('OuiEnsemble-Stateless.template.json'), (id, resource) => {
      const file = (resource.Metadata as { 'aws:asset:path'?: string } | undefined)?.['aws:asset:path'];
      if (!file) throw new Error(`nested stack ${id} names no template file`);
      return read(file);
    }) as unknown as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string }; Description?: string } }>;
    };
    const assets = JSON.parse(readFileSync(path.join(outdir, 'OuiEnsemble-Stateless.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging?: string } }>;
    };
    const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    return functions.map(([id, fn]) => {
      const hash = fn.Properties.Code?.S3Key?.replace(/\.zip$/, '');
      const asset = hash === undefined ? undefined : assets.files[hash];
      return {
        id,
        description: fn.Properties.Description,
        hash,
        packaging: asset?.source.packaging,
        bundle: asset && path.join(outdir, asset.source.path, bundleFileName),
      };
    });
  }

  it('has a handler module for every route and job', () => {
    expect(handlers.filter((h) => !existsSync(path.join(repoRoot, h)))).toEqual([]);
  });

  it('synthesizes both stacks and bundles every function', { timeout: 600_000 }, () => {
    const run = synth();
    expect(run.status, run.output).toBe(0);
    for (const stack of STACKS) expect(existsSync(path.join(outdir, `${stack}.template.json`))).toBe(true);

    // Every Lambda function's code is a file asset whose bundle is in the output.
    const functions = functionsAndBundles();
    expect(functions).toHaveLength(routes.length + jobs.length + consumers.length + 1); // + the event relay
    for (const { id, hash, packaging, bundle } of functions) {
      expect(hash, id).toBeDefined();
      expect(packaging, id).toBe('zip');
      expect(bundle, id).toBeDefined();
      expect(existsSync(bundle!), `${id}: ${bundle}`).toBe(true);
      expect(existsSync(`${bundle}.map`), `${id}: source map`).toBe(true);
      expect(readFileSync(bundle!, 'utf8').startsWith(esmRequireBanner), `${id}: ESM banner`).toBe(true);
    }
  });

  it('leaves the WOFF2 decoder (brotli) and the import of node:http out of every bundle, the PDF ones carrying the trimmed fontkit', {
    timeout: 600_000,
  }, () => {
    const pdf = functionsAndBundles().filter((f) => f.description?.startsWith('POST /quotes/{id}/send:'));
    expect(pdf, 'the bundle of SendQuote').toHaveLength(1);
    for (const { id, bundle } of functionsAndBundles()) {
      const code = readFileSync(bundle!, 'utf8');
      expect(code.includes('BrotliDecompressBuffer'), `${id} holds brotli`).toBe(false);
      // node:http is required, never imported (functions/shared/node-http.cjs says why).
      expect(/(?:from|import)\s*\(?\s*["'](?:node:)?http["']/.test(code), `${id} imports node:http`).toBe(false);
    }
    // The CDK bundles through esbuild's command line, with the same aliases: fontkit is the copy of
    // infra/constructs/fontkit-trim.ts (which registers no WOFF2 format at all).
    const code = readFileSync(pdf[0]!.bundle!, 'utf8');
    expect(code).toContain('CFF fonts are not in the PDF bundles (infra/constructs/fontkit-trim.ts)');
    expect(code).not.toContain('WOFF2 fonts are not supported in the bundles');
  });

  it('bundles exactly as esbuildOptionsFor does (what scripts/bench.ts measures)', { timeout: 600_000 }, async () => {
    const health = routes.find((r) => r.fn === 'Health')!;
    const cdkBundle = functionsAndBundles().find((f) => f.description?.startsWith('GET /health:'))?.bundle;
    expect(cdkBundle, 'the bundle of GET /health in the synth output').toBeDefined();
    const outfile = path.join(outdir, 'bench-equivalence', bundleFileName);
    await build(esbuildOptionsFor(health.handler, outfile));
    expect(readFileSync(outfile, 'utf8')).toBe(readFileSync(cdkBundle!, 'utf8'));
  });
});
