/**
 * Statement periods of the redevance: a month `YYYY-MM` or a quarter `YYYY-Qn`, in the Europe/Paris
 * calendar, with their first and last days. Pure.
 */
export type Frequency = 'monthly' | 'quarterly';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

export interface Period {
  readonly id: string;
  readonly frequency: Frequency;
  /** First day, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day, `YYYY-MM-DD`. */
  readonly to: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The last day of a month (`month` 1–12). */
function lastDay(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The period a text names, or undefined when it names none. */
export function parsePeriod(text: string): Period | undefined {
  const m = MONTH.exec(text);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    return { id: text, frequency: 'monthly', from: `${m[1]}-${m[2]}-01`, to: lastDay(year, month) };
  }
  const q = QUARTER.exec(text);
  if (q) {
    const year = Number(q[1]);
    const first = (Number(q[2]) - 1) * 3 + 1;
    return { id: text, frequency: 'quarterly', from: `${q[1]}-${pad(first)}-01`, to: lastDay(year, first + 2) };
  }
  return undefined;
}

/** The period of a frequency that holds a day. */
export function periodContaining(day: string, frequency: Frequency): Period {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  const id = frequency === 'monthly' ? day.slice(0, 7) : `${year}-Q${Math.ceil(month / 3)}`;
  return parsePeriod(id)!;
}

/** The period right after. */
export function nextPeriod(period: Period): Period {
  const next = new Date(`${period.to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return periodContaining(next.toISOString().slice(0, 10), period.frequency);
}

/** The period right before. */
export function previousPeriod(period: Period): Period {
  const before = new Date(`${period.from}T00:00:00Z`);
  before.setUTCDate(before.getUTCDate() - 1);
  return periodContaining(before.toISOString().slice(0, 10), period.frequency);
}

/** True once the period's last day is over (Paris `today` after it). */
export const hasEnded = (period: Period, today: string): boolean => period.to < today;
