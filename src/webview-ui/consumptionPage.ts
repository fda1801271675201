// Translations load before anything below can ask for a string.
import './pageL10n';
import * as l10n from '@vscode/l10n';
import {
  DEFAULT_RANGE,
  PRESET_DAYS,
  type BudgetView,
  type ConsumptionView,
  type HostToPage,
  type PageState,
  type PageToHost,
  type RangeSelection,
} from '../shared/consumptionProtocol';
import { DEFAULT_SESSION_SORT, isSessionSort } from '../shared/sessionUsageSort';
import { ConsumptionChart, formatAcus } from './consumptionChart';
import { SessionTable } from './consumptionSessions';
import { renderTable } from './consumptionTable';

/**
 * The consumption page. It owns presentation only: the host fetches and shapes, the page draws what
 * it is sent and reports back what it drew. Its range, split and sort survive reloads through
 * `setState`, which is all the panel serializer needs to bring it back.
 */

interface VsCodeApi {
  postMessage(message: PageToHost): void;
  getState(): unknown;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`consumption page: #${id} is missing from the shell`);
  return element as T;
}

const ui = {
  main: document.querySelector('main') as HTMLElement,
  ranges: [...document.querySelectorAll<HTMLButtonElement>('button.range')],
  customForm: byId<HTMLFormElement>('custom-range'),
  start: byId<HTMLInputElement>('range-start'),
  end: byId<HTMLInputElement>('range-end'),
  split: byId<HTMLInputElement>('split-by-product'),
  exportCsv: byId<HTMLButtonElement>('export-csv'),
  copyCsv: byId<HTMLButtonElement>('copy-csv'),
  status: byId<HTMLElement>('status'),
  budget: byId<HTMLElement>('budget'),
  budgetText: byId<HTMLElement>('budget-text'),
  budgetMeter: byId<HTMLMeterElement>('budget-meter'),
  progress: byId<HTMLProgressElement>('progress'),
  error: byId<HTMLElement>('error'),
  errorMessage: byId<HTMLElement>('error-message'),
  retry: byId<HTMLButtonElement>('retry'),
  empty: byId<HTMLElement>('empty'),
  summary: byId<HTMLElement>('summary'),
  total: byId<HTMLElement>('total'),
  rangeLabel: byId<HTMLElement>('range-label'),
  table: {
    caption: byId<HTMLElement>('table-caption'),
    head: byId<HTMLTableRowElement>('table-head'),
    body: byId<HTMLTableSectionElement>('table-body'),
    foot: byId<HTMLTableRowElement>('table-foot'),
  },
  sessions: {
    section: byId<HTMLElement>('sessions'),
    heading: byId<HTMLElement>('sessions-heading'),
    status: byId<HTMLElement>('sessions-status'),
    progress: byId<HTMLProgressElement>('sessions-progress'),
    error: byId<HTMLElement>('sessions-error'),
    errorMessage: byId<HTMLElement>('sessions-error-message'),
    retry: byId<HTMLButtonElement>('sessions-retry'),
    empty: byId<HTMLElement>('sessions-empty'),
    table: byId<HTMLTableElement>('sessions-table'),
    caption: byId<HTMLElement>('sessions-caption'),
    head: byId<HTMLTableRowElement>('sessions-head'),
    body: byId<HTMLTableSectionElement>('sessions-body'),
    foot: byId<HTMLTableRowElement>('sessions-foot'),
    notes: byId<HTMLElement>('sessions-notes'),
    showAll: byId<HTMLButtonElement>('sessions-show-all'),
  },
};

const chart = new ConsumptionChart(byId<HTMLCanvasElement>('chart'));
let state: PageState = restoreState(vscode.getState());
let view: ConsumptionView | undefined;
const sessionTable = new SessionTable(ui.sessions, state.sessionSort, {
  sortChanged: (sessionSort) => update({ sessionSort }),
  open: (row) => post({ type: 'openSession', orgId: row.orgId, sessionId: row.sessionId }),
  retry: () => post({ type: 'retrySessions', range: state.range }),
  rendered: (report) => post({ type: 'sessionsRendered', report }),
});

function restoreState(saved: unknown): PageState {
  const fallback: PageState = {
    range: DEFAULT_RANGE,
    splitByProduct: false,
    sort: { key: 'total', direction: 'descending' },
    sessionSort: DEFAULT_SESSION_SORT,
  };
  if (!saved || typeof saved !== 'object') return fallback;
  const candidate = saved as Partial<PageState>;
  const range = candidate.range;
  const validRange =
    range &&
    (range.kind === 'custom'
      ? typeof range.start === 'string' && typeof range.end === 'string'
      : (PRESET_DAYS as readonly number[]).includes(range.days));
  const sort = candidate.sort;
  const validSort =
    sort &&
    (sort.key === 'name' || sort.key === 'total') &&
    (sort.direction === 'ascending' || sort.direction === 'descending');
  return {
    range: validRange ? range : fallback.range,
    splitByProduct: candidate.splitByProduct === true,
    sort: validSort ? sort : fallback.sort,
    sessionSort: isSessionSort(candidate.sessionSort) ? candidate.sessionSort : fallback.sessionSort,
  };
}

function update(change: Partial<PageState>): void {
  state = { ...state, ...change };
  vscode.setState(state);
  showRange(state.range);
}

function post(message: PageToHost): void {
  vscode.postMessage(message);
}

function showRange(range: RangeSelection): void {
  for (const button of ui.ranges)
    button.setAttribute('aria-pressed', String(range.kind === 'preset' && String(range.days) === button.dataset.days));
  if (range.kind === 'custom') {
    ui.start.value = range.start;
    ui.end.value = range.end;
  }
}

function setBusy(busy: boolean): void {
  ui.main.setAttribute('aria-busy', String(busy));
  ui.progress.hidden = !busy;
  ui.summary.classList.toggle('stale', busy);
}

function onMessage(message: HostToPage): void {
  switch (message.type) {
    case 'loading': {
      update({ range: message.range });
      setBusy(true);
      ui.error.hidden = true;
      if (message.total > 0) {
        ui.progress.max = message.total;
        ui.progress.value = message.completed;
        ui.status.textContent = l10n.t('Loading consumption… {0} of {1}', message.completed, message.total);
      } else {
        ui.progress.removeAttribute('value');
        ui.status.textContent = l10n.t('Loading consumption…');
      }
      return;
    }
    case 'data':
      performance.mark('consumption:data');
      update({ range: message.range });
      view = message.view;
      // Prefilled with what is shown, so a custom range starts from the current one.
      if (document.activeElement !== ui.start && document.activeElement !== ui.end) {
        ui.start.value = view.range.start;
        ui.end.value = view.range.end;
      }
      setBusy(false);
      ui.error.hidden = true;
      return draw();
    case 'error':
      update({ range: message.range });
      view = undefined;
      setBusy(false);
      ui.summary.hidden = true;
      ui.empty.hidden = true;
      ui.error.hidden = false;
      ui.errorMessage.textContent = message.message;
      ui.retry.hidden = !message.canRetry;
      ui.status.textContent = l10n.t('Could not load consumption.');
      setExportEnabled(false);
      return;
    case 'notice':
      ui.status.textContent = message.message;
      return;
    case 'budget':
      return showBudget(message.budget);
    case 'sessionUsage':
      return sessionTable.show(message.range, message.state);
    case 'debugClick':
      return sessionTable.click(message.control);
  }
}

function showBudget(budget: BudgetView | null): void {
  ui.budget.hidden = budget === null;
  ui.budgetText.textContent = budget ? l10n.t('Billing cycle: {0}', budget.text) : '';
  const hasLimit = budget !== null && budget.percent !== undefined;
  ui.budgetMeter.hidden = !hasLimit;
  // The meter stops at 100; the text says by how much a limit is exceeded.
  if (hasLimit) ui.budgetMeter.value = Math.min(100, budget.percent as number);
  post({ type: 'budgetShown', value: hasLimit ? ui.budgetMeter.value : null, text: ui.budgetText.textContent });
}

function setExportEnabled(enabled: boolean): void {
  ui.exportCsv.disabled = !enabled;
  ui.copyCsv.disabled = !enabled;
}

function draw(focusSortKey?: string): void {
  if (!view) return;
  const current = view;
  performance.mark('consumption:draw-start');
  const empty = current.organizations.length === 0 || current.total === 0;
  ui.split.disabled = current.products.length === 0;
  ui.split.title = ui.split.disabled ? l10n.t('The API returned no per-product split for this range.') : '';
  ui.split.checked = state.splitByProduct && !ui.split.disabled;
  ui.empty.hidden = !empty;
  // Shown before drawing: Chart.js sizes the canvas from its container, which must be laid out.
  ui.summary.hidden = empty;
  setExportEnabled(current.organizations.length > 0);
  const split = ui.split.checked;
  ui.total.textContent = formatAcus(current.total);
  ui.rangeLabel.textContent = l10n.t('{0} to {1}', current.range.start, current.range.end);
  const table = renderTable(ui.table, current, split, state.sort, (sort) => {
    update({ sort });
    draw(sort.key);
  });
  if (!empty) chart.draw(current, split);
  performance.mark('consumption:drawn');
  const drawMs = performance.measure('consumption:draw', 'consumption:draw-start', 'consumption:drawn').duration;
  if (focusSortKey) ui.table.head.querySelector<HTMLButtonElement>(`button[data-sort-key="${focusSortKey}"]`)?.focus();
  ui.status.textContent = empty
    ? l10n.t('No ACUs were consumed in this range.')
    : current.organizations.length === 1
      ? l10n.t('Showing {0} ACUs across 1 organization.', formatAcus(current.total))
      : l10n.t('Showing {0} ACUs across {1} organizations.', formatAcus(current.total), current.organizations.length);
  post({
    type: 'rendered',
    report: {
      total: table.total,
      organizations: current.organizations.map((organization) => ({
        id: organization.id,
        name: organization.name,
        total: organization.total,
      })),
      rows: table.rows,
      canvasNonBlank: !empty && chart.isNonBlank(),
      splitByProduct: split,
      drawMs,
    },
  });
}

for (const button of ui.ranges) {
  button.addEventListener('click', () => {
    const range: RangeSelection = { kind: 'preset', days: Number(button.dataset.days) as 7 | 30 | 90 };
    update({ range });
    post({ type: 'setRange', range });
  });
}

ui.customForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!ui.start.value || !ui.end.value) return;
  const range: RangeSelection = { kind: 'custom', start: ui.start.value, end: ui.end.value };
  update({ range });
  post({ type: 'setRange', range });
});

ui.split.addEventListener('change', () => {
  update({ splitByProduct: ui.split.checked });
  draw();
});

ui.retry.addEventListener('click', () => post({ type: 'retry', range: state.range }));
ui.exportCsv.addEventListener('click', () => post({ type: 'exportCsv', splitByProduct: ui.split.checked }));
ui.copyCsv.addEventListener('click', () => post({ type: 'copyCsv', splitByProduct: ui.split.checked }));

// VS Code swaps the body's theme class (vscode-light, vscode-dark, vscode-high-contrast…) on a theme
// change; the CSS variables follow, and the canvas has to be repainted with them.
new MutationObserver(() => chart.retheme()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('message', (event: MessageEvent<HostToPage>) => onMessage(event.data));
setExportEnabled(false);
showRange(state.range);
vscode.setState(state);
post({ type: 'ready', range: state.range });
// The host fetches once it hears `ready`; building the (empty) chart meanwhile means the data, when it
// arrives, only has to be laid out and painted. The summary is shown just long enough to be measured:
// no frame is painted in between, and Chart.js ignores the zero size it sees once it is hidden again.
ui.summary.hidden = false;
chart.prepare();
ui.summary.hidden = view === undefined || ui.summary.hidden;
