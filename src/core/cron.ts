/**
 * When a recurring schedule runs next. Devin's schedule objects carry the cron expression (UTC) but no
 * next-run time (§4.10), so the tree works it out with the usual cron rules: five fields (minute, hour,
 * day of month, month, day of week), each `*`, a number, a range, a list or a step; when both day fields
 * are restricted a day matching either one counts.
 */

interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly daysRestricted: boolean;
  readonly weekdaysRestricted: boolean;
}

const DAY_S = 86_400;
/** Long enough to reach the next 29 February across a century year that skips it (2096 → 2104). */
const SEARCH_DAYS = 366 * 9;

function parseField(text: string, min: number, max: number): Set<number> | undefined {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(?:(\*)|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    const start = match[1] ? min : Number(match[2]);
    // `5/15` means from 5 to the end of the range, every 15.
    const end = match[1] ? max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? max : start;
    if (step < 1 || start < min || end > max || start > end) return undefined;
    for (let value = start; value <= end; value += step) values.add(value);
  }
  return values;
}

function parseCron(expression: string): CronFields | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minuteText, hourText, dayText, monthText, weekdayText] = fields as [string, string, string, string, string];
  const minutes = parseField(minuteText, 0, 59);
  const hours = parseField(hourText, 0, 23);
  const days = parseField(dayText, 1, 31);
  const months = parseField(monthText, 1, 12);
  const weekdays = parseField(weekdayText, 0, 7);
  if (!minutes || !hours || !days || !months || !weekdays) return undefined;
  // Sunday is both 0 and 7.
  if (weekdays.has(7)) weekdays.add(0);
  return {
    minutes: [...minutes].sort((a, b) => a - b),
    hours: [...hours].sort((a, b) => a - b),
    days,
    months,
    weekdays,
    daysRestricted: !dayText.startsWith('*'),
    weekdaysRestricted: !weekdayText.startsWith('*'),
  };
}

function dayMatches(cron: CronFields, date: Date): boolean {
  if (!cron.months.has(date.getUTCMonth() + 1)) return false;
  const byDay = cron.days.has(date.getUTCDate());
  const byWeekday = cron.weekdays.has(date.getUTCDay());
  if (cron.daysRestricted && cron.weekdaysRestricted) return byDay || byWeekday;
  if (cron.daysRestricted) return byDay;
  if (cron.weekdaysRestricted) return byWeekday;
  return true;
}

/**
 * The first minute strictly after `afterSeconds` (Unix seconds) that the expression names, in Unix
 * seconds; undefined when the expression is not valid cron or names no date that exists (`0 0 31 2 *`).
 */
export function nextCronRun(expression: string, afterSeconds: number): number | undefined {
  const cron = parseCron(expression);
  if (!cron) return undefined;
  const firstMinute = Math.floor(afterSeconds / 60) * 60 + 60;
  const firstDay = Math.floor(firstMinute / DAY_S) * DAY_S;
  for (let day = 0; day < SEARCH_DAYS; day++) {
    const dayStart = firstDay + day * DAY_S;
    if (!dayMatches(cron, new Date(dayStart * 1000))) continue;
    for (const hour of cron.hours) {
      for (const minute of cron.minutes) {
        const at = dayStart + hour * 3600 + minute * 60;
        if (at >= firstMinute) return at;
      }
    }
  }
  return undefined;
}
