/**
 * A browser-side check of a 5-field Unix cron expression (minute hour day-of-month month
 * day-of-week, as crontab reads it), so the wizard flags a typo while it is typed. It checks the
 * shape and each field's range; the control plane (cron-utils) has the last word, e.g. on an
 * expression that never matches (`0 0 31 2 *`).
 */

interface FieldRule {
  name: string;
  min: number;
  max: number;
  /** Names crontab accepts in place of numbers (JAN…DEC, SUN…SAT). */
  names?: string[];
}

const FIELDS: FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 0 and 7 are both Sunday, as in crontab.
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

function value(text: string, rule: FieldRule): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= rule.min && n <= rule.max ? n : undefined;
  }
  const i = rule.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i < 0) return undefined;
  return rule.name === 'month' ? i + 1 : i;
}

function fieldError(text: string, rule: FieldRule): string | undefined {
  const bad = `${rule.name}: "${text}" is not ${rule.min}–${rule.max}, *, a range (a-b), a step (*/n) or a list (a,b)`;
  for (const part of text.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined) return bad;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return bad;
    if (range === '*') continue;
    const [from, to, more] = range.split('-');
    if (more !== undefined) return bad;
    const a = value(from, rule);
    if (a === undefined) return bad;
    if (to !== undefined) {
      const b = value(to, rule);
      if (b === undefined || b < a) return bad;
    }
  }
  return undefined;
}

/** @returns what is wrong with the expression, or undefined when the browser finds nothing */
export function cronError(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5) {
    return `Give 5 fields (minute hour day-of-month month day-of-week), not ${fields.length}; e.g. 0 22 * * 1-5`;
  }
  for (let i = 0; i < 5; i++) {
    const e = fieldError(fields[i], FIELDS[i]);
    if (e) return e;
  }
  return undefined;
}

/** Whether the browser knows the IANA time zone id (Europe/Berlin, UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The browser's own time zone, the wizard's default for a window. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
