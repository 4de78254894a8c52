// Logical time. The model never reads the wall clock: time is a count of
// milliseconds since the run began, advanced only by a `tick` action, and
// rendered as Kubernetes timestamps against a fixed epoch so traces are byte-stable.

/** 2026-01-01T00:00:00Z: the instant logical time 0 is printed as. */
export const EPOCH_MS = Date.UTC(2026, 0, 1);

/** Timestamps already rendered, by whole second: a run prints the same few instants over and over. Bounded: cleared when full. */
const rendered = new Map<number, string>();
const RENDERED_MAX = 4096;

/** RFC 3339 at second precision, as metav1.Time serialises. */
export function timestamp(nowMs: number): string {
  const second = Math.floor(nowMs / 1000);
  let text = rendered.get(second);
  if (text === undefined) {
    if (rendered.size >= RENDERED_MAX) rendered.clear();
    text = new Date(EPOCH_MS + second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    rendered.set(second, text);
  }
  return text;
}

/** The earlier of two optional instants. */
export function earliest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null || a <= b ? a : b;
}

/** The instant if it lies after `nowMs`, else null. */
export function future(atMs: number | null, nowMs: number): number | null {
  return atMs !== null && atMs > nowMs ? atMs : null;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MINUTE_MS = 60_000;

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * time.Parse(time.RFC3339, text) in logical milliseconds since the epoch: timestamp's inverse; digits
 * beyond the millisecond are dropped. Text off that grammar, or with a field out of range, throws.
 */
export function parseTimestamp(text: string): number {
  const m = RFC3339.exec(text);
  if (m === null) throw new Error(`not an RFC 3339 time: ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 9, 10].map(
    (group) => Number(m[group] ?? 0),
  ) as [number, number, number, number, number, number, number, number];
  const inRange =
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 23 && offsetMinutes <= 59;
  if (!inRange) throw new Error(`not an RFC 3339 time: ${JSON.stringify(text)}`);
  const offsetMs = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * MINUTE_MS;
  const fractionMs = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const utcMs = ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * MINUTE_MS + second * 1000 + fractionMs;
  return utcMs - offsetMs - EPOCH_MS;
}
