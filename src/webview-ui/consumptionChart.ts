// Only what a stacked bar chart needs is registered, so esbuild drops the other controllers, elements
// and plugins from the bundle (chart.js/auto would pull in all of them).
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartDataset, type TooltipItem } from 'chart.js';
import type { ConsumptionView } from '../shared/consumptionProtocol';
import { readTheme, type ThemeColours } from './consumptionTheme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** A legend of fifty names is noise; above this the table (with its swatches) is the legend. */
const MAX_LEGEND_ENTRIES = 10;

const acusFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function formatAcus(value: number): string {
  return acusFormat.format(value);
}

/** Days are billing days named by date; formatting in UTC keeps the date from shifting by time zone. */
export function formatDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

export class ConsumptionChart {
  private chart: Chart<'bar', number[], string> | undefined;
  private theme: ThemeColours = readTheme();
  private last: { view: ConsumptionView; split: boolean } | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  draw(view: ConsumptionView, split: boolean): void {
    this.last = { view, split };
    const labels = view.granularity === 'daily' ? view.days.map(formatDay) : [`${formatDay(view.range.start)} – ${formatDay(view.range.end)}`];
    const datasets = this.datasets(view, split);
    const showLegend = datasets.length <= MAX_LEGEND_ENTRIES;
    if (!this.chart) {
      this.chart = new Chart(this.canvas, { type: 'bar', data: { labels, datasets }, options: this.options(showLegend) });
    } else {
      this.chart.data.labels = labels;
      this.chart.data.datasets = datasets;
      this.chart.options = this.options(showLegend);
      this.chart.update('none');
    }
    this.canvas.setAttribute('aria-label', describeChart(view, split));
  }

  /** Theme colours changed (the body's theme class flipped): recolour and repaint the same data. */
  retheme(): void {
    this.theme = readTheme();
    if (this.last) this.draw(this.last.view, this.last.split);
  }

  /** True when something was painted; sampled on a coarse grid, which any bar or axis label will hit. */
  isNonBlank(): boolean {
    const context = this.canvas.getContext('2d');
    const { width, height } = this.canvas;
    if (!context || width === 0 || height === 0) return false;
    const pixels = context.getImageData(0, 0, width, height).data;
    const stride = 4 * 7;
    for (let offset = 3; offset < pixels.length; offset += stride) if ((pixels[offset] as number) > 0) return true;
    return false;
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }

  private datasets(view: ConsumptionView, split: boolean): ChartDataset<'bar', number[]>[] {
    if (split && view.products.length > 0) {
      return view.productDaily.map((series) => ({
        label: series.product,
        data: [...series.daily],
        backgroundColor: this.theme.product(series.product),
        stack: 'acus',
      }));
    }
    return view.chartSeries.map((series, index) => ({
      label: series.label,
      data: [...series.daily],
      backgroundColor: this.theme.series(index),
      stack: 'acus',
    }));
  }

  private options(showLegend: boolean) {
    const theme = this.theme;
    const font = { family: theme.font };
    return {
      // Animation off: redraws on range changes and theme switches must be immediate, and it lets the
      // page report a finished drawing synchronously.
      animation: false as const,
      responsive: true,
      maintainAspectRatio: false,
      normalized: true,
      interaction: { mode: 'index' as const, intersect: false },
      scales: {
        // sampleSize: measuring a label per day of a year-long range is most of the layout cost.
        x: { stacked: true, grid: { display: false }, ticks: { color: theme.muted, font, maxRotation: 0, autoSkipPadding: 8, sampleSize: 20 } },
        y: {
          stacked: true,
          beginAtZero: true,
          grid: { color: theme.grid },
          ticks: { color: theme.muted, font },
          title: { display: true, text: 'ACUs', color: theme.muted, font },
        },
      },
      plugins: {
        legend: { display: showLegend, position: 'bottom' as const, labels: { color: theme.foreground, font, boxWidth: 12 } },
        tooltip: {
          // Fifty zero rows would bury the ones that matter.
          filter: (item: TooltipItem<'bar'>) => item.parsed.y !== 0,
          itemSort: (a: TooltipItem<'bar'>, b: TooltipItem<'bar'>) => (b.parsed.y ?? 0) - (a.parsed.y ?? 0),
          callbacks: {
            label: (item: TooltipItem<'bar'>) => `${item.dataset.label ?? ''}: ${formatAcus(item.parsed.y ?? 0)} ACUs`,
            footer: (items: TooltipItem<'bar'>[]) => `Total: ${formatAcus(items.reduce((total, item) => total + (item.parsed.y ?? 0), 0))} ACUs`,
          },
        },
      },
    };
  }
}

function describeChart(view: ConsumptionView, split: boolean): string {
  const grouped = view.chartSeries.length < view.organizations.length ? ` (the smallest grouped as Other)` : '';
  const what = split && view.products.length > 0 ? `${view.products.length} products` : `${view.organizations.length} organizations${grouped}`;
  const per = view.granularity === 'daily' ? 'per day' : 'for the whole range';
  return `Stacked bar chart of ACUs ${per} for ${what}, ${view.range.start} to ${view.range.end}; total ${formatAcus(view.total)} ACUs. The table below lists the same data.`;
}
