/**
 * Offline metering: where the metering lines of every invocation go (functions/shared/metering.ts)
 * and where the daily cost job reads them (functions/network/usage.ts). The local log of metering is
 * one JSON-lines file per UTC day under `<data dir>/logs/metering/`, appended synchronously (a line
 * is about 250 bytes; no personal data: function, territory code, counts). The cost job's source
 * reads the files of the UTC days the Paris day overlaps, keeps the lines of that day and groups
 * them with the same `usageRows` the cloud's Logs Insights `stats` mirrors.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usageRows } from '../../functions/network/domain/costs.ts';
import { useUsageSource, type UsageSource } from '../../functions/network/usage.ts';
import { type MeterLine, useMeterSink } from '../../functions/shared/metering.ts';

export const meteringDir = (dataDir: string): string => join(dataDir, 'logs', 'metering');

const fileOf = (dir: string, utcDay: string) => join(dir, `${utcDay}.jsonl`);

/** Appends each line to the file of its UTC day. */
export function fileMeterSink(dataDir: string): (line: MeterLine) => void {
  const dir = meteringDir(dataDir);
  let made = false;
  return (line) => {
    if (!made) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      made = true;
    }
    appendFileSync(fileOf(dir, line.at.slice(0, 10)), `${JSON.stringify(line)}\n`, { mode: 0o600 });
  };
}

/** Reads the lines between two instants back from the files. */
export function fileUsageSource(dataDir: string): UsageSource {
  const dir = meteringDir(dataDir);
  return {
    async rowsOf(_day, start, end) {
      const lines: MeterLine[] = [];
      for (let t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()); t < end.getTime(); t += 86_400_000) {
        const file = fileOf(dir, new Date(t).toISOString().slice(0, 10));
        if (!existsSync(file)) continue;
        for (const text of readFileSync(file, 'utf8').split('\n')) {
          if (!text) continue;
          const line = JSON.parse(text) as MeterLine;
          const at = Date.parse(line.at);
          if (at >= start.getTime() && at < end.getTime()) lines.push(line);
        }
      }
      return usageRows(lines);
    },
  };
}

/** Installs both: the lines of this process go to `<dataDir>/logs/metering/`, the cost job reads them there. */
export function useLocalMetering(dataDir: string): void {
  useMeterSink(fileMeterSink(dataDir));
  useUsageSource(fileUsageSource(dataDir));
}
