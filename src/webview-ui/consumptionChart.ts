// Only what a stacked bar chart needs is registered, so esbuild drops the other controllers, elements
// and plugins from the bundle (chart.js/auto would pull in all of them).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
  type Scale,
  type TooltipItem,
} from 'chart.js';
import * as l10n from '@vscode/l10n';
import type { ConsumptionView } from '../shared/consumptionProtocol';
import { readTheme, type ThemeColours } from './consumptionTheme';
import { pageLocale } from './pageL10n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** A legend of fifty names is noise; above this the table (with its swatches) is the legend. */
const MAX_LEGEND_ENTRIES = 10;
/**
 * Candidate x-axis labels handed to Chart.js's auto-skip. A year has 365 days but room for about twenty
 * labels; every candidate costs option resolution and text measurement in each layout pass, so ranges
 * longer than this offer every n-th day only (auto-skip then thins further to what fits).
 */
const MAX_TICK_CANDIDATES = 40;
/**
 * Longer ranges are charted a week per bar: past about four months a day's bar is a couple of pixels
 * wide, unreadable and unhoverable, and thousands of them make every redraw slow. The table and the CSV
 * stay per day.
 */
const MAX_DAILY_BARS = 120;
const DAYS_PER_WEEK = 7;

/** A bar as Chart.js stores it after parsing; handing it over pre-shaped lets it skip its own parsing. */
interface BarPoint {
  readonly x: number;
  readonly y: number;
}

const acusFormat = new Intl.NumberFormat(pageLocale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dayFormat = new Intl.DateTimeFormat(pageLocale(), { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function formatAcus(value: number): string {
  return acusFormat.format(value);
}

/** Days are billing days named by date; formatting in UTC keeps the date from shifting by time zone. */
export function formatDay(day: string): string {
  let formatted = dayLabels.get(day);
  if (formatted === undefined) {
    formatted = dayFormat.format(new Date(`${day}T00:00:00Z`));
    dayLabels.set(day, formatted);
  }
  return formatted;
}
/** Formatting a date through Intl costs microseconds each; days repeat across redraws and tooltips. */
const dayLabels = new Map<string, string>();

export class ConsumptionChart {
  private chart: Chart<'bar', BarPoint[], string> | undefined;
  private theme: ThemeColours = readTheme();
  private last: { view: ConsumptionView; split: boolean } | undefined;
  /** Day keys (or the one range label) of the current view; formatted only where shown. */
  private labels: readonly string[] = [];
  private daily = true;
  /** Days per bar: 1, or 7 for long ranges. */
  private bucket = 1;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  draw(view: ConsumptionView, split: boolean): void {
    this.last = { view, split };
    this.daily = view.granularity === 'daily';
    this.bucket = this.daily && view.days.length > MAX_DAILY_BARS ? DAYS_PER_WEEK : 1;
    this.labels = this.daily
      ? view.days.filter((_, index) => index % this.bucket === 0)
      : [`${formatDay(view.range.start)} – ${formatDay(view.range.end)}`];
    // Chart.js only reads the labels (parsing is off, so it never adds any); no copy needed.
    const labels = this.labels as string[];
    const datasets = this.datasets(view, split);
    const showLegend = datasets.length <= MAX_LEGEND_ENTRIES;
    if (!this.chart) {
      this.chart = new Chart(this.canvas, {
        type: 'bar',
        data: { labels, datasets },
        options: this.options(showLegend),
      });
    } else {
      this.chart.data.labels = labels;
      this.chart.data.datasets = datasets;
      this.chart.options = this.options(showLegend);
      this.chart.update('none');
    }
    this.canvas.setAttribute('aria-label', describeChart(view, split));
  }

  /** Builds the chart with no data, so the first real draw is an update rather than a construction. */
  prepare(): void {
    this.chart ??= new Chart(this.canvas, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: this.options(false),
    });
  }

  /** What a category (day index) is called on the axis and in tooltips. */
  private label(index: number): string {
    const label = this.labels[index] ?? '';
    if (!this.daily) return label;
    if (this.bucket === 1) return formatDay(label);
    const last = this.last?.view.days[Math.min((index + 1) * this.bucket, this.last.view.days.length) - 1] ?? label;
    return `${formatDay(label)} – ${formatDay(last)}`;
  }

  /** The axis shows where each week starts; the tooltip names the whole week. */
  private tickLabel(index: number): string {
    const label = this.labels[index] ?? '';
    return this.daily ? formatDay(label) : label;
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

  private datasets(view: ConsumptionView, split: boolean): ChartDataset<'bar', BarPoint[]>[] {
    if (split && view.products.length > 0) {
      return view.productDaily.map((series) => ({
        label: series.product,
        data: points(series.daily, this.bucket),
        backgroundColor: this.theme.product(series.product),
        stack: 'acus',
      }));
    }
    return view.chartSeries.map((series, index) => ({
      label: series.label,
      data: points(series.daily, this.bucket),
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
      // Data comes as {x: day index, y: ACUs} in order, the format Chart.js parses to: it keeps the
      // objects as they are instead of building 4,000 of its own per draw.
      parsing: false as const,
      normalized: true,
      // One stack per day: ungrouped bars sit at the same place and width as a stack of one group, and
      // Chart.js skips working out each bar's group among the datasets.
      datasets: { bar: { grouped: false } },
      interaction: { mode: 'index' as const, intersect: false },
      scales: {
        // sampleSize: measuring a label per day of a year-long range is most of the layout cost.
        x: {
          stacked: true,
          grid: { display: false },
          afterBuildTicks: (scale: Scale) => {
            const step = Math.ceil(scale.ticks.length / MAX_TICK_CANDIDATES);
            if (step > 1) scale.ticks = scale.ticks.filter((_, index) => index % step === 0);
          },
          ticks: {
            color: theme.muted,
            font,
            maxRotation: 0,
            autoSkipPadding: 8,
            sampleSize: 20,
            callback: (value: string | number) => this.tickLabel(Number(value)),
          },
        },
        y: {
          stacked: true,
          beginAtZero: true,
          grid: { color: theme.grid },
          ticks: { color: theme.muted, font },
          title: { display: true, text: l10n.t('ACUs'), color: theme.muted, font },
        },
      },
      plugins: {
        legend: {
          display: showLegend,
          position: 'bottom' as const,
          labels: { color: theme.foreground, font, boxWidth: 12 },
        },
        tooltip: {
          // Fifty zero rows would bury the ones that matter.
          filter: (item: TooltipItem<'bar'>) => item.parsed.y !== 0,
          itemSort: (a: TooltipItem<'bar'>, b: TooltipItem<'bar'>) => (b.parsed.y ?? 0) - (a.parsed.y ?? 0),
          callbacks: {
            title: (items: TooltipItem<'bar'>[]) => (items[0] ? this.label(items[0].dataIndex) : ''),
            label: (item: TooltipItem<'bar'>) =>
              l10n.t('{0}: {1} ACUs', item.dataset.label ?? '', formatAcus(item.parsed.y ?? 0)),
            footer: (items: TooltipItem<'bar'>[]) =>
              l10n.t('Total: {0} ACUs', formatAcus(items.reduce((total, item) => total + (item.parsed.y ?? 0), 0))),
          },
        },
      },
    };
  }
}

/** One point per bar: each day, or the sum of each run of `bucket` days. */
function points(values: readonly number[], bucket: number): BarPoint[] {
  const data = new Array<BarPoint>(Math.ceil(values.length / bucket));
  for (let bar = 0; bar < data.length; bar += 1) {
    let sum = 0;
    for (let day = bar * bucket; day < Math.min(values.length, (bar + 1) * bucket); day += 1)
      sum += values[day] as number;
    data[bar] = { x: bar, y: sum };
  }
  return data;
}

function describeChart(view: ConsumptionView, split: boolean): string {
  const organizations = view.organizations.length;
  const what =
    split && view.products.length > 0
      ? view.products.length === 1
        ? l10n.t('1 product')
        : l10n.t('{0} products', view.products.length)
      : view.chartSeries.length < organizations
        ? l10n.t('{0} organizations (the smallest grouped as Other)', organizations)
        : organizations === 1
          ? l10n.t('1 organization')
          : l10n.t('{0} organizations', organizations);
  // {0}: what the bars stand for, {1} and {2}: the range's first and last day, {3}: the total.
  const args = [what, view.range.start, view.range.end, formatAcus(view.total)] as const;
  const sentence =
    view.granularity !== 'daily'
      ? l10n.t('Stacked bar chart of ACUs for the whole range for {0}, {1} to {2}; total {3} ACUs.', ...args)
      : view.days.length > MAX_DAILY_BARS
        ? l10n.t('Stacked bar chart of ACUs per week for {0}, {1} to {2}; total {3} ACUs.', ...args)
        : l10n.t('Stacked bar chart of ACUs per day for {0}, {1} to {2}; total {3} ACUs.', ...args);
  return `${sentence} ${l10n.t('The table below lists the same data.')}`;
}
