import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_CHART_SERIES,
  addDays,
  billingDayOf,
  dayOfMarker,
  dayStartSeconds,
  isDayKey,
  resolveRange,
  shapeConsumption,
  type OrganizationConsumption,
} from '../../src/core/consumptionSeries';
import { consumptionToCsv, csvField, suggestedCsvFileName } from '../../src/core/consumptionCsv';
import { parseConsumptionPageMessage } from '../../src/webview/consumptionMessages';

const isPageToHost = (value: unknown): boolean => parseConsumptionPageMessage(value) !== undefined;

/** Days, ranges, shaping and CSV for the consumption panel, in plain Node. */

// 2025-12-05 00:00 PST, the reference's own example of an aligned timestamp.
const DEC_5_PST = 1_733_385_600;

describe('billing days', () => {
  test('a day starts at 08:00 UTC (midnight PST), as the API documents', () => {
    assert.equal(dayStartSeconds('2024-12-05'), DEC_5_PST);
    assert.equal(new Date(DEC_5_PST * 1000).toISOString(), '2024-12-05T08:00:00.000Z');
  });

  test('instants before 08:00 UTC belong to the previous billing day', () => {
    assert.equal(billingDayOf(DEC_5_PST), '2024-12-05');
    assert.equal(billingDayOf(DEC_5_PST - 1), '2024-12-04');
    assert.equal(billingDayOf(DEC_5_PST + 86_399), '2024-12-05');
  });

  test('day markers name their day whether aligned to 08:00 or 00:00 UTC, in seconds, ms or text', () => {
    assert.equal(dayOfMarker(DEC_5_PST), '2024-12-05');
    assert.equal(dayOfMarker(DEC_5_PST - 8 * 3600), '2024-12-05');
    assert.equal(dayOfMarker(DEC_5_PST * 1000), '2024-12-05');
    assert.equal(dayOfMarker('2024-12-05'), '2024-12-05');
    assert.equal(dayOfMarker(String(DEC_5_PST)), '2024-12-05');
    assert.equal(dayOfMarker('yesterday'), undefined);
  });

  test('day keys are real calendar dates and arithmetic crosses months and leap days', () => {
    assert.equal(isDayKey('2024-02-29'), true);
    assert.equal(isDayKey('2025-02-29'), false);
    assert.equal(isDayKey('2025-2-1'), false);
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2025-01-01', -1), '2024-12-31');
  });
});

describe('ranges', () => {
  const now = Date.parse('2025-12-05T07:59:00Z'); // still 4 December in PST

  test('a preset ends with the billing day in progress and counts it', () => {
    const range = resolveRange({ kind: 'preset', days: 7 }, now);
    assert.equal(range.end, '2025-12-04');
    assert.equal(range.start, '2025-11-28');
    assert.equal(range.days.length, 7);
    assert.equal(range.timeAfter, dayStartSeconds('2025-11-28'));
    assert.equal(range.timeBefore, dayStartSeconds('2025-12-05'));
    assert.equal((range.timeBefore - range.timeAfter) % 86_400, 0);
  });

  test('custom ranges are put in order, clamped to 400 days and keyed by their days', () => {
    const reversed = resolveRange({ kind: 'custom', start: '2025-03-10', end: '2025-03-01' }, now);
    assert.equal(reversed.start, '2025-03-01');
    assert.equal(reversed.days.length, 10);
    const long = resolveRange({ kind: 'custom', start: '2020-01-01', end: '2025-01-01' }, now);
    assert.equal(long.days.length, 400);
    assert.equal(long.end, '2025-01-01');
    const preset = resolveRange({ kind: 'preset', days: 30 }, now);
    const same = resolveRange({ kind: 'custom', start: preset.start, end: preset.end }, now);
    assert.equal(same.key, preset.key);
    assert.throws(() => resolveRange({ kind: 'custom', start: '2025-02-30', end: '2025-03-01' }, now), RangeError);
  });
});

function range3() {
  return resolveRange({ kind: 'custom', start: '2025-01-01', end: '2025-01-03' }, 0);
}

describe('shaping', () => {
  test('missing days become zero, outside days are dropped, repeated days are summed', () => {
    const input: OrganizationConsumption[] = [
      {
        id: 'org-a',
        name: 'A',
        entries: [
          { day: '2025-01-03', acus: 1.1 },
          { day: '2025-01-01', acus: 2.2 },
          { day: '2025-01-01', acus: 0.1 },
          { day: '2024-12-31', acus: 99 },
        ],
      },
      { id: 'org-b', name: 'B', entries: [] },
    ];
    const view = shapeConsumption(range3(), 'enterprise', input);
    assert.deepEqual(view.days, ['2025-01-01', '2025-01-02', '2025-01-03']);
    assert.equal(view.granularity, 'daily');
    assert.deepEqual(view.organizations[0]?.daily, [2.3, 0, 1.1]);
    assert.equal(view.organizations[0]?.total, 3.4);
    assert.deepEqual(view.organizations[1]?.daily, [0, 0, 0]);
    assert.equal(view.total, 3.4);
    assert.deepEqual(view.products, []);
    assert.equal(view.organizations[0]?.byProduct, null);
  });

  test('organizations are ordered largest first, ties by name', () => {
    const view = shapeConsumption(range3(), 'enterprise', [
      { id: '1', name: 'Zeta', entries: [{ day: '2025-01-01', acus: 1 }] },
      { id: '2', name: 'Alpha', entries: [{ day: '2025-01-01', acus: 1 }] },
      { id: '3', name: 'Big', entries: [{ day: '2025-01-02', acus: 5 }] },
    ]);
    assert.deepEqual(
      view.organizations.map((organization) => organization.name),
      ['Big', 'Alpha', 'Zeta'],
    );
  });

  test('the product split is kept per organization and summed across them; review may be absent', () => {
    const view = shapeConsumption(range3(), 'enterprise', [
      {
        id: 'a',
        name: 'A',
        entries: [{ day: '2025-01-02', acus: 3, byProduct: { devin: 2, cascade: 0.5, terminal: 0.5 } }],
      },
      {
        id: 'b',
        name: 'B',
        entries: [{ day: '2025-01-02', acus: 1.5, byProduct: { devin: 1, cascade: 0, terminal: 0.25, review: 0.25 } }],
      },
    ]);
    assert.deepEqual(view.products, ['devin', 'cascade', 'terminal', 'review']);
    assert.deepEqual(view.organizations[0]?.byProduct?.devin, [0, 2, 0]);
    assert.equal(view.organizations[0]?.byProduct?.review, undefined);
    assert.deepEqual(view.organizations[1]?.productTotals, { devin: 1, cascade: 0, terminal: 0.25, review: 0.25 });
    assert.deepEqual(
      view.productDaily.map((series) => [series.product, series.total]),
      [
        ['devin', 3],
        ['cascade', 0.5],
        ['terminal', 0.75],
        ['review', 0.25],
      ],
    );
  });

  test('floating sums are rounded to hundredths', () => {
    const entries = Array.from({ length: 10 }, () => ({ day: '2025-01-01', acus: 0.1 }));
    const view = shapeConsumption(range3(), 'organization', [{ id: 'a', name: 'A', entries }]);
    assert.equal(view.total, 1);
    assert.equal(view.organizations[0]?.daily[0], 1);
  });

  test('totals for the whole range only (no dates) give a single-period view', () => {
    const view = shapeConsumption(range3(), 'enterprise', [
      { id: 'a', name: 'A', entries: [{ day: undefined, acus: 7 }] },
    ]);
    assert.equal(view.granularity, 'range');
    assert.deepEqual(view.days, ['2025-01-01']);
    assert.deepEqual(view.organizations[0]?.daily, [7]);
  });

  test('past a dozen organizations the chart stacks the smallest as Other; the table keeps all', () => {
    const input = Array.from({ length: 20 }, (_, index) => ({
      id: `org-${index}`,
      name: `Org ${index}`,
      entries: [{ day: '2025-01-01', acus: index + 1 }],
    }));
    const view = shapeConsumption(range3(), 'enterprise', input);
    assert.equal(view.organizations.length, 20);
    assert.equal(view.chartSeries.length, MAX_CHART_SERIES);
    const other = view.chartSeries.at(-1);
    assert.equal(other?.label, 'Other (9 organizations)');
    assert.equal(other?.organizationIds.length, 9);
    assert.equal(other?.daily[0], 45); // 1 + 2 + … + 9
    const stacked = view.chartSeries.reduce((total, series) => total + (series.daily[0] ?? 0), 0);
    assert.equal(stacked, view.total);
  });
});

describe('CSV', () => {
  const view = shapeConsumption(range3(), 'enterprise', [
    {
      id: 'org-x',
      name: '<img src=x onerror="alert(1)">, Labs',
      entries: [{ day: '2025-01-02', acus: 1.5, byProduct: { devin: 1, cascade: 0.5, terminal: 0 } }],
    },
    { id: 'org-f', name: '=HYPERLINK("http://evil")', entries: [] },
  ]);

  test('one row per organization and day, quoted where needed, CRLF line ends', () => {
    const csv = consumptionToCsv(view, false);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'date,organization_id,organization,acus');
    assert.equal(lines.length, 1 + 3 * 2 + 1);
    assert.equal(lines[3], '2025-01-02,org-x,"<img src=x onerror=""alert(1)"">, Labs",1.5');
    assert.ok(csv.endsWith('\r\n'));
  });

  test('the product split adds one column per product present', () => {
    const lines = consumptionToCsv(view, true).split('\r\n');
    assert.equal(lines[0], 'date,organization_id,organization,acus,acus_devin,acus_cascade,acus_terminal');
    assert.equal(lines[3], '2025-01-02,org-x,"<img src=x onerror=""alert(1)"">, Labs",1.5,1,0.5,0');
  });

  test('spreadsheet formulas in names are defused, numbers are not', () => {
    assert.equal(csvField('=HYPERLINK("http://evil")'), `"'=HYPERLINK(""http://evil"")"`);
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('-1.5'), '-1.5');
    assert.equal(csvField('plain'), 'plain');
  });

  test('the suggested file name carries the range', () => {
    assert.equal(suggestedCsvFileName(view), 'devin-consumption-2025-01-01-to-2025-01-03.csv');
  });
});

describe('protocol guards', () => {
  test('the host accepts only well-formed page messages', () => {
    assert.equal(isPageToHost({ type: 'ready', range: { kind: 'preset', days: 30 } }), true);
    assert.equal(isPageToHost({ type: 'setRange', range: { kind: 'preset', days: 31 } }), false);
    assert.equal(isPageToHost({ type: 'setRange', range: { kind: 'custom', start: '2025-01-01', end: 'x' } }), false);
    assert.equal(isPageToHost({ type: 'copyCsv', splitByProduct: 'yes' }), false);
    assert.equal(isPageToHost({ type: 'eval', code: 'x' }), false);
    assert.equal(isPageToHost(null), false);
    assert.equal(
      isPageToHost({ type: 'retry', range: { kind: 'custom', start: '2025-01-01', end: '2025-01-31' } }),
      true,
    );
    assert.equal(isPageToHost({ type: 'budgetShown', value: null, text: 'No limit' }), true);
    assert.equal(isPageToHost({ type: 'budgetShown', value: '3', text: 'No limit' }), false);
    // What the page was sent comes back as the protocol's values, nothing added.
    assert.deepEqual(parseConsumptionPageMessage({ type: 'copyCsv', splitByProduct: true, extra: 1 }), {
      type: 'copyCsv',
      splitByProduct: true,
    });
  });
});
