/**
 * Observed against documented statuses. During the e2e runs, the local test server
 * (test/support/local-server.ts) records every (route key, status) it answers, from its request
 * log lines, in one file per server under a folder the e2e project's global setup provides
 * (test/support/documented-statuses-global-setup.ts). At the end of the run, the global setup's
 * teardown compares them with the OpenAPI document and fails the run on any status a route
 * answered that its contract does not declare.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Observed {
  readonly routeKey: string;
  readonly status: number;
}

/** `[http] POST /quotes/{id}/send 409 12ms` → { routeKey: 'POST /quotes/{id}/send', status: 409 }. */
export function parseRequestLogLine(line: string): Observed | undefined {
  const match = /^\[http\] ([A-Z]+) (\/\S*) (\d{3}) \d+ms$/.exec(line);
  return match ? { routeKey: `${match[1]} ${match[2]}`, status: Number(match[3]) } : undefined;
}

/** A log sink that appends the (route key, status) of each request line to a file of its own in `dir`. */
export function statusRecorder(dir: string): (line: string) => void {
  const file = join(dir, `${randomUUID()}.log`);
  return (line) => {
    const observed = parseRequestLogLine(line);
    if (observed) appendFileSync(file, `${observed.routeKey} ${observed.status}\n`);
  };
}

/** Every (route key, status) recorded in `dir`, once each. */
export function readObserved(dir: string): Observed[] {
  const seen = new Set<string>();
  for (const name of readdirSync(dir)) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) if (line.trim()) seen.add(line.trim());
  }
  return [...seen].sort().map((entry) => {
    const at = entry.lastIndexOf(' ');
    return { routeKey: entry.slice(0, at), status: Number(entry.slice(at + 1)) };
  });
}

interface OpenApiLike {
  readonly paths: Record<string, Record<string, { readonly responses?: Record<string, unknown> }>>;
}

/**
 * The observed answers the document does not list for their route. Only the routes of the route
 * table are checked (`routeKeys`): the front door's own answers to unknown paths and the local
 * stand-in of presigned document links are no API route.
 */
export function undocumented(observed: readonly Observed[], document: OpenApiLike, routeKeys: readonly string[]): Observed[] {
  const known = new Set(routeKeys);
  return observed.filter(({ routeKey, status }) => {
    if (!known.has(routeKey)) return false;
    const [method, path] = routeKey.split(' ') as [string, string];
    return document.paths[path]?.[method.toLowerCase()]?.responses?.[String(status)] === undefined;
  });
}
