/** RELIABILITY.md: the figures of a full run (`npm run reliability`), one table per scenario. */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/local/apigw.ts';
import { table } from '../../scripts/bench/report.ts';
import type { ScenarioFigures } from './support.ts';

export function writeReliabilityReport(all: readonly ScenarioFigures[]): void {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const sections = [...all]
    .sort((x, y) => x.id.localeCompare(y.id))
    .map((f) =>
      [
        `## ${f.id} — ${f.title}`,
        '',
        `Result: ${f.passed ? 'passed' : '**FAILED**'}. Size: ${f.size}. Duration: ${f.seconds.toFixed(1)} s.`,
        '',
        table(f.head, f.rows),
        '',
        ...f.notes.map((n) => `- ${n}`),
        '',
      ].join('\n'),
    );
  const text = [
    '# Reliability',
    '',
    'Figures of the last full run of the reliability suite (`npm run reliability`; `npm test` runs the same scenarios at a reduced size).',
    'The scenarios are in test/reliability/; each one fails when its property does not hold.',
    '',
    `- Date: ${date}`,
    `- Machine: ${availableParallelism()} cores (nproc), ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}, Node ${process.versions.node}`,
    `- Scenarios: ${[...all]
      .map((f) => f.id)
      .sort()
      .join(', ')} (R5 is not part of the suite)`,
    '',
    ...sections,
  ].join('\n');
  writeFileSync(join(REPO_ROOT, 'RELIABILITY.md'), text);
}
