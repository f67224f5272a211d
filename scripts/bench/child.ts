/**
 * A bench that runs in a fresh Node process of its own (payroll, issues, network): the child is the
 * bench's own file run again with arguments; its stderr lines are the parent's log, its result is the
 * JSON it prints on stdout after a marker (a library may print there before it).
 *
 * The child's Powertools are silent and its metrics off, set in its environment before it starts:
 * its Logger may be built while its modules are imported (importing infra/local/grants.ts builds it),
 * before any line of the bench could set a level.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RESULT_MARKER = '@@bench-result@@';

/** In the child: prints its result for the parent. */
export function printChildResult(result: unknown): void {
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

/**
 * Runs `moduleUrl` (the bench's `import.meta.url`) in a fresh process of the same Node with `args`,
 * `nodeArgs` before the file; resolves with the result it printed.
 */
export function runInChild<T>(
  moduleUrl: string,
  args: readonly string[],
  log: (line: string) => void,
  nodeArgs: readonly string[] = [],
): Promise<T> {
  const file = fileURLToPath(moduleUrl);
  const name = file.slice(file.lastIndexOf('/scripts/') + 1);
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...nodeArgs, file, ...args], {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let pending = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) log(line);
    });
    proc.once('error', reject);
    proc.once('close', (code) => {
      if (pending) log(pending);
      if (code !== 0) return reject(new Error(`${name} ${args[0] ?? ''} exited with ${code}`));
      const at = out.lastIndexOf(RESULT_MARKER);
      try {
        if (at < 0) throw new Error('no result marker');
        resolve(JSON.parse(out.slice(at + RESULT_MARKER.length)) as T);
      } catch (error) {
        reject(new Error(`${name} ${args[0] ?? ''} printed no JSON result: ${(error as Error).message}`));
      }
    });
  });
}
