/**
 * e2e helper: Debian's Chromium driven by playwright-core (no browser download: CI installs the
 * `chromium` package, see .ci/run). The flags are those known to work on these machines
 * (/work/.library/env/machines/node.md): headless, no sandbox (root), no GPU, and no background
 * networking, whose connections the closed network refuses. launch() gives every browser a fresh,
 * empty user-data-dir of its own.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. The browser tests use Debian's chromium, not a downloaded one: ` +
        'install it with `apt-get install chromium` (.ci/run does this in CI), or set CHROMIUM_PATH to another Chromium binary.',
    );
  }
  return chromium.launch({ headless: true, ...options, executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...(options.args ?? [])] });
}
