/**
 * Working days in France (metropolitan): Monday to Friday except the eleven public holidays of
 * C. trav. L3133-1 (1 January, Easter Monday, 1 May, 8 May, Ascension, Whit Monday, 14 July,
 * 15 August, 1 November, 11 November, 25 December). Alsace-Moselle's two extra days are not
 * counted. Pure calendar arithmetic on `YYYY-MM-DD` dates.
 */

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher), `YYYY-MM-DD`. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const plusDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The public holidays of a year, `YYYY-MM-DD`, in calendar order. */
export function publicHolidays(year: number): string[] {
  const easter = easterSunday(year);
  const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map((md) => `${year}-${md}`);
  return [...fixed, plusDays(easter, 1), plusDays(easter, 39), plusDays(easter, 50)].sort();
}

export function isWorkingDay(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !publicHolidays(Number(date.slice(0, 4))).includes(date);
}

/** The first working day of a month `YYYY-MM`. */
export function firstWorkingDay(month: string): string {
  let date = `${month}-01`;
  while (!isWorkingDay(date)) date = plusDays(date, 1);
  return date;
}

export const isFirstWorkingDayOfMonth = (date: string): boolean => firstWorkingDay(date.slice(0, 7)) === date;
