// Benchmark, not a test: how long shaping and drawing take for 50 organizations × 365 days, against a
// baseline of 1 organization × 365 days measured in the same run (machines differ; the ratio travels
// better than the absolute figure). Shaping runs here in Node; drawing runs in headless Chromium on the
// built page (node esbuild.js first). Budget: shape + first draw under 150 ms at the median. The page
// builds its empty chart while the host fetches, so "first draw" is the first drawing of real data; the
// message→rendered wall time (which adds the canvas read-back of the test probe) is reported beside it.
// Run: npx tsc -p test/tsconfig.json && node out/test/bench/consumption.bench.js [--runs 9]
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  addDays,
  resolveRange,
  shapeConsumption,
  type OrganizationConsumption,
} from '../../src/core/consumptionSeries';
import { mulberry32 } from '../sandbox/prng';
import { launchChromium, openPage, pageProbe, postAndWaitRendered, servePage } from './consumptionPage';
import { median } from './stats';

const BUDGET_MS = 150;
const DAYS = 365;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 9;
const NOW = Date.UTC(2026, 5, 30, 12);

function synthetic(organizations: number): OrganizationConsumption[] {
  const range = resolveRange({ kind: 'custom', start: '2025-07-01', end: addDays('2025-07-01', DAYS - 1) }, NOW);
  const random = mulberry32(organizations);
  return Array.from({ length: organizations }, (_, index) => ({
    id: `org-${index}`,
    name: `Organization ${index}`,
    // Sparse like the API: about one day in six is missing and must be zero-filled.
    entries: range.days
      .filter(() => random() > 0.17)
      .map((day) => {
        const devin = Math.round(random() * 4000) / 100;
        return { day, acus: devin + 1.5, byProduct: { devin, cascade: 1, terminal: 0.5, review: 0 } };
      }),
  }));
}

async function main(): Promise<number> {
  const range = resolveRange({ kind: 'custom', start: '2025-07-01', end: addDays('2025-07-01', DAYS - 1) }, NOW);
  const server = await servePage();
  const browser = await launchChromium();
  const results: Record<string, { shape: number; draw: number; redraw: number; wall: number; total: number }> = {};
  try {
    for (const organizations of [1, 50]) {
      const input = synthetic(organizations);
      const shape: number[] = [];
      const draw: number[] = [];
      const redraw: number[] = [];
      const wall: number[] = [];
      const total: number[] = [];
      // One warm-up round (JIT, font loading) that is not counted.
      for (let run = -1; run < RUNS; run += 1) {
        const started = performance.now();
        const view = shapeConsumption(range, 'enterprise', input);
        const shapeMs = performance.now() - started;
        // A fresh page per run measures the first draw, which also builds the chart: the slower case.
        const page = await openPage(browser, server.url);
        const { report, wallMs } = await postAndWaitRendered(page, {
          type: 'data',
          range: { kind: 'custom', start: range.start, end: range.end },
          view,
        });
        // Then a redraw in the warm page, as when the user flips between ranges.
        const again = await postAndWaitRendered(page, { type: 'data', range: { kind: 'preset', days: 90 }, view });
        const probe = await pageProbe(page);
        if (probe.__violations.length > 0) throw new Error(`CSP violations: ${probe.__violations.join('; ')}`);
        if (!report.canvasNonBlank) throw new Error('the chart canvas stayed blank');
        await page.close();
        if (run < 0) continue;
        shape.push(shapeMs);
        draw.push(report.drawMs);
        redraw.push(again.report.drawMs);
        wall.push(wallMs);
        total.push(shapeMs + report.drawMs);
      }
      results[`${organizations}x${DAYS}`] = {
        shape: median(shape),
        draw: median(draw),
        redraw: median(redraw),
        wall: median(wall),
        total: median(total),
      };
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const base = results[`1x${DAYS}`] as { total: number };
  const big = results[`50x${DAYS}`] as { total: number };
  console.log(`consumption benchmark, median of ${RUNS} runs (ms)`);
  console.log(
    `load average ${os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')} on ${os.cpus().length} CPUs`,
  );
  console.log('case        shape(node)  first draw  redraw  message→rendered  shape+first draw');
  for (const [name, row] of Object.entries(results)) {
    const cells = [
      row.shape.toFixed(2).padStart(11),
      row.draw.toFixed(2).padStart(10),
      row.redraw.toFixed(2).padStart(6),
      row.wall.toFixed(2).padStart(16),
      row.total.toFixed(2).padStart(16),
    ];
    console.log(`${name.padEnd(10)}  ${cells.join('  ')}`);
  }
  console.log(
    `ratio 50x${DAYS} / 1x${DAYS}: ${(big.total / base.total).toFixed(2)}; budget ${BUDGET_MS} ms: ${big.total < BUDGET_MS ? 'met' : 'MISSED'}`,
  );
  return big.total < BUDGET_MS ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
