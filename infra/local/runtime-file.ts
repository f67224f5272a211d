/** `<DATA_DIR>/runtime.json`: what a running `npm start` tells other commands (invoke, tests). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StripeStandInConnection } from './adapters.ts';

export interface RuntimeInfo {
  readonly pid: number;
  readonly endpoint: string;
  readonly port: number;
  readonly url: string;
  /** Pid of the DynamoDB Local JVM, reaped by the next start if this process died hard. */
  readonly ddbPid: number;
  readonly startedAt: string;
  /** The embedded Stripe stand-in, so `npm run invoke` (reconciliation) talks to the same one. */
  readonly stripe?: StripeStandInConnection;
}

export const runtimeFile = (dataDir: string): string => join(dataDir, 'runtime.json');

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readRuntime(dataDir: string): RuntimeInfo | undefined {
  try {
    return JSON.parse(readFileSync(runtimeFile(dataDir), 'utf8')) as RuntimeInfo;
  } catch {
    return undefined;
  }
}

/** The runtime of a live `npm start` on this data directory, if any. */
export function liveRuntime(dataDir: string): RuntimeInfo | undefined {
  const info = readRuntime(dataDir);
  return info && isAlive(info.pid) ? info : undefined;
}
