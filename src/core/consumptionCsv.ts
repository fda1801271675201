import type { ConsumptionView } from '../shared/consumptionProtocol';
import { safePathSegment } from './safePathSegment';

/**
 * The shown consumption as CSV (RFC 4180, CRLF line ends): one row per organization and day, so a
 * spreadsheet can pivot it any way. Organization names come from the API and may hold anything.
 */
export function consumptionToCsv(view: ConsumptionView, splitByProduct: boolean): string {
  const products = splitByProduct ? view.products : [];
  const dayHeader = view.granularity === 'daily' ? 'date' : 'period';
  const header = [
    dayHeader,
    'organization_id',
    'organization',
    'acus',
    ...products.map((product) => `acus_${product}`),
  ];
  const lines = [header.map(csvField).join(',')];
  view.days.forEach((day, index) => {
    const label = view.granularity === 'daily' ? day : `${view.range.start}..${view.range.end}`;
    for (const organization of view.organizations) {
      const split = products.map((product) => formatAcus(organization.byProduct?.[product]?.[index] ?? 0));
      lines.push(
        [label, organization.id, organization.name, formatAcus(organization.daily[index] ?? 0), ...split]
          .map(csvField)
          .join(','),
      );
    }
  });
  return `${lines.join('\r\n')}\r\n`;
}

export function suggestedCsvFileName(view: ConsumptionView): string {
  // The range is chosen on the page, which is not trusted with paths: the name stays one segment whatever it holds.
  return safePathSegment(`devin-consumption-${view.range.start}-to-${view.range.end}.csv`);
}

function formatAcus(value: number): string {
  return String(Math.round(value * 100) / 100);
}

const FORMULA_START = /^[\t\r\n]|^ *[=+\-@＝＋－＠]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/**
 * Quotes when needed and defuses spreadsheet formulas: a name such as `=HYPERLINK(...)` would otherwise
 * run when the file is opened (OWASP "CSV injection"), so such cells get a leading apostrophe. A cell that
 * is exactly a number (`-12.5`) is left alone so it stays a number; anything else that merely starts like
 * one (`-1+cmd|' /C calc'!A0`) is a formula to a spreadsheet and is defused. Leading spaces do not hide a
 * trigger character, since some spreadsheets skip them.
 */
export function csvField(value: string): string {
  const defused = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}
