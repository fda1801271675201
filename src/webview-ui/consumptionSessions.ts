import type {
  DebugControl,
  RangeSelection,
  RenderedSessionsReport,
  SessionSort,
  SessionSortKey,
  SessionUsageRow,
  SessionUsageState,
  SessionUsageView,
} from '../shared/consumptionProtocol';
import { SESSION_SORT_KEYS } from '../shared/consumptionProtocol';
import {
  SESSION_TOP_ROWS,
  nextSessionSort,
  sessionRowLabel,
  sortSessionRows,
  visibleSessionRows,
} from '../shared/sessionUsageSort';
import * as l10n from '@vscode/l10n';
import { formatAcus } from './consumptionChart';
import { pageLocale } from './pageL10n';
import { sortableHeader } from './sortableHeader';

/**
 * The per-session table under the chart: sessions of the range with their ACUs, sortable by any column
 * (header buttons, so Enter and Space work as on any button, with `aria-sort`), the top rows first and
 * the rest on request, each session a link the host opens. Its words are translated in the page (`l10n.t`);
 * titles, names and statuses are API data and only ever go in through `textContent`.
 */

export interface SessionTableElements {
  readonly section: HTMLElement;
  readonly heading: HTMLElement;
  readonly status: HTMLElement;
  readonly progress: HTMLProgressElement;
  readonly error: HTMLElement;
  readonly errorMessage: HTMLElement;
  readonly retry: HTMLButtonElement;
  readonly empty: HTMLElement;
  readonly table: HTMLTableElement;
  readonly caption: HTMLElement;
  readonly head: HTMLTableRowElement;
  readonly body: HTMLTableSectionElement;
  readonly foot: HTMLTableRowElement;
  readonly notes: HTMLElement;
  readonly showAll: HTMLButtonElement;
}

export interface SessionTableEvents {
  readonly sortChanged: (sort: SessionSort) => void;
  readonly open: (row: SessionUsageRow) => void;
  readonly retry: () => void;
  readonly rendered: (report: RenderedSessionsReport) => void;
}

const countFormat = new Intl.NumberFormat(pageLocale());
const createdFormat = new Intl.DateTimeFormat(pageLocale(), { dateStyle: 'medium', timeStyle: 'short' });
const collator = new Intl.Collator(pageLocale(), { numeric: true, sensitivity: 'base' });

export class SessionTable {
  private shown: { readonly range: RangeSelection; readonly state: SessionUsageState } | undefined;
  /** While a range loads, the last rows shown stay, dimmed, until the new ones arrive. */
  private lastData: SessionUsageView | undefined;
  /** The rows currently drawn, by session id, for the link clicks. */
  private readonly rowsById = new Map<string, SessionUsageRow>();
  private showAll = false;

  constructor(
    private readonly ui: SessionTableElements,
    private sort: SessionSort,
    private readonly events: SessionTableEvents,
  ) {
    ui.retry.addEventListener('click', () => events.retry());
    ui.showAll.addEventListener('click', () => {
      this.showAll = !this.showAll;
      this.render();
    });
    // One listener for every link: rows are redrawn on each sort.
    ui.body.addEventListener('click', (event) => {
      const link = (event.target as Element | null)?.closest<HTMLAnchorElement>('a[data-session-id]');
      if (!link) return;
      event.preventDefault();
      const row = this.rowsById.get(link.dataset.sessionId ?? '');
      if (row) events.open(row);
    });
  }

  show(range: RangeSelection, state: SessionUsageState): void {
    // New data starts with the top rows again; a progress update keeps what the user chose.
    if (state.kind === 'data') {
      this.showAll = false;
      this.lastData = state.usage;
    } else if (state.kind === 'error') this.lastData = undefined;
    this.shown = { range, state };
    this.render();
  }

  /** Test mode only: the host asks for a click on one of the table's controls. */
  click(control: DebugControl): void {
    const target =
      control.kind === 'session'
        ? this.ui.body.querySelector<HTMLElement>(`a[data-session-id="${CSS.escape(control.sessionId)}"]`)
        : control.kind === 'sessionSort'
          ? this.ui.head.querySelector<HTMLElement>(`button[data-sort-key="${CSS.escape(control.key)}"]`)
          : control.kind === 'sessionsRetry'
            ? this.ui.retry
            : this.ui.showAll;
    target?.click();
  }

  private render(focusKey?: SessionSortKey): void {
    const shown = this.shown;
    if (!shown) return;
    const ui = this.ui;
    const { state } = shown;
    ui.section.hidden = false;
    ui.heading.textContent = l10n.t('ACUs per session');
    ui.retry.textContent = l10n.t('Retry');
    ui.progress.hidden = state.kind !== 'loading';
    ui.error.hidden = state.kind !== 'error';
    ui.status.textContent =
      state.kind === 'loading'
        ? state.read > 0
          ? l10n.t('Loading sessions… {0} read', countFormat.format(state.read))
          : l10n.t('Loading sessions…')
        : '';
    if (state.kind === 'error') {
      ui.errorMessage.textContent = state.message;
      ui.retry.hidden = !state.canRetry;
    }
    const usage = state.kind === 'error' ? undefined : this.lastData;
    ui.table.classList.toggle('stale', state.kind === 'loading');
    ui.empty.hidden = state.kind !== 'data' || state.usage.sessions.length > 0;
    ui.empty.textContent = l10n.t('No sessions were created in this range.');
    const hasRows = !!usage && usage.sessions.length > 0;
    ui.table.hidden = !hasRows;
    if (usage && hasRows) this.drawTable(usage, focusKey);
    else {
      ui.notes.textContent = '';
      ui.showAll.hidden = true;
      this.rowsById.clear();
    }
    this.events.rendered({
      range: shown.range,
      state: state.kind,
      count: state.kind === 'data' ? state.usage.sessions.length : 0,
      total: state.kind === 'data' ? state.usage.total : 0,
      shownIds: hasRows
        ? [...ui.body.querySelectorAll<HTMLElement>('a[data-session-id]')].map((link) => link.dataset.sessionId ?? '')
        : [],
      sort: this.sort,
      caption: hasRows ? (ui.caption.textContent ?? '') : '',
      error: state.kind === 'error' ? state.message : undefined,
    });
  }

  private drawTable(usage: SessionUsageView, focusKey?: SessionSortKey): void {
    const ui = this.ui;
    const sorted = sortSessionRows(usage.sessions, this.sort, collator.compare);
    const { rows, hidden } = visibleSessionRows(sorted, this.showAll);

    const notes = [
      l10n.t(
        "Each session's ACUs are its whole consumption so far, as the sessions list reports it (the API lists no consumption per session for a range), so they can include ACUs spent after the range and need not add up to the chart.",
      ),
    ];
    if (usage.truncated)
      notes.push(
        l10n.t('Only the first {0} sessions were read; the list has more.', countFormat.format(usage.sessions.length)),
      );
    if (usage.unreadableOrganizations.length > 0)
      notes.push(
        l10n.t(
          'Not included, as this token may not list their sessions: {0}.',
          usage.unreadableOrganizations.join(', '),
        ),
      );
    ui.caption.replaceChildren(
      block('caption-title', l10n.t('Sessions created {0} to {1}', usage.range.start, usage.range.end)),
      ...notes.map((note) => block('caption-note', note)),
      visuallyHidden(
        l10n.t(
          'Sorted by {0}, {1}. Activate a column header to sort by it.',
          columnName(this.sort.key),
          this.sort.direction === 'ascending' ? l10n.t('ascending') : l10n.t('descending'),
        ),
      ),
    );

    ui.head.replaceChildren(...SESSION_SORT_KEYS.map((key) => this.header(key)));

    this.rowsById.clear();
    ui.body.replaceChildren(
      ...rows.map((row) => {
        this.rowsById.set(row.sessionId, row);
        return sessionRow(row);
      }),
    );

    const label = document.createElement('th');
    label.scope = 'row';
    label.colSpan = 3;
    label.textContent =
      usage.sessions.length === 1
        ? l10n.t('Total (1 session)')
        : l10n.t('Total ({0} sessions)', countFormat.format(usage.sessions.length));
    const total = document.createElement('td');
    total.className = 'number';
    total.textContent = formatAcus(usage.total);
    ui.foot.replaceChildren(label, total, document.createElement('td'));

    const cut = hidden > 0 || (this.showAll && sorted.length > SESSION_TOP_ROWS);
    ui.showAll.hidden = !cut;
    ui.showAll.textContent = this.showAll
      ? l10n.t('Show the top {0} only', countFormat.format(SESSION_TOP_ROWS))
      : l10n.t('Show all {0} sessions', countFormat.format(sorted.length));
    ui.notes.textContent =
      hidden > 0
        ? l10n.t('Showing {0} of {1} sessions.', countFormat.format(rows.length), countFormat.format(sorted.length))
        : '';
    if (focusKey) ui.head.querySelector<HTMLButtonElement>(`button[data-sort-key="${focusKey}"]`)?.focus();
  }

  private header(key: SessionSortKey): HTMLTableCellElement {
    return sortableHeader(
      columnName(key),
      key,
      this.sort,
      () => {
        this.sort = nextSessionSort(this.sort, key);
        this.events.sortChanged(this.sort);
        this.render(key);
      },
      key === 'acus' ? 'number' : undefined,
    );
  }
}

function sessionRow(row: SessionUsageRow): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const name = document.createElement('th');
  name.scope = 'row';
  const link = document.createElement('a');
  // An in-page href makes it a focusable link that Enter follows; the click handler does the opening.
  link.href = '#';
  link.dataset.sessionId = row.sessionId;
  const label = sessionRowLabel(row);
  link.title = l10n.t('Open session {0}', label);
  link.textContent = label;
  name.append(link);
  const created = document.createElement('td');
  if (row.createdAt !== null) {
    const time = document.createElement('time');
    const date = new Date(row.createdAt * 1000);
    time.dateTime = date.toISOString();
    time.textContent = createdFormat.format(date);
    created.append(time);
  } else created.textContent = l10n.t('unknown');
  created.className = 'created';
  tr.append(
    name,
    cell(row.organization),
    cell(row.status),
    cell(row.acus === null ? l10n.t('unknown') : formatAcus(row.acus), 'number'),
    created,
  );
  return tr;
}

function columnName(key: SessionSortKey): string {
  switch (key) {
    case 'session':
      return l10n.t('Session');
    case 'organization':
      return l10n.t('Organization');
    case 'status':
      return l10n.t('Status');
    case 'acus':
      return l10n.t('ACUs');
    case 'created':
      return l10n.t('Created');
  }
}

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

function block(className: string, text: string): HTMLElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

function visuallyHidden(text: string): HTMLElement {
  const element = document.createElement('span');
  element.className = 'visually-hidden';
  element.textContent = text;
  return element;
}
