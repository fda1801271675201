import * as l10n from '@vscode/l10n';
import type { ConsumptionView, OrganizationSeries, Product, TableSort } from '../shared/consumptionProtocol';
import { formatAcus } from './consumptionChart';
import { productSwatch, swatchFor } from './consumptionTheme';
import { pageLocale } from './pageL10n';
import { sortableHeader } from './sortableHeader';

const shareFormat = new Intl.NumberFormat(pageLocale(), {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/**
 * The per-organization totals table. It is also the accessible form of the chart: a caption, scoped
 * headers, sort buttons reachable by keyboard with `aria-sort`, and swatches tying rows to bar colours.
 * Organization names are API data and only ever go in through `textContent`.
 */

export interface TableElements {
  readonly caption: HTMLElement;
  readonly head: HTMLTableRowElement;
  readonly body: HTMLTableSectionElement;
  readonly foot: HTMLTableRowElement;
}

export interface TableRender {
  readonly rows: number;
  readonly total: number;
}

export function renderTable(
  elements: TableElements,
  view: ConsumptionView,
  split: boolean,
  sort: TableSort,
  onSort: (sort: TableSort) => void,
): TableRender {
  const products: readonly Product[] = split ? view.products : [];
  // Swatches follow the chart's series (largest first, then Other), not the table's current sort.
  const colourIndex = new Map(
    view.chartSeries.flatMap((series, index) => series.organizationIds.map((id) => [id, index] as const)),
  );
  const sorted = [...view.organizations].sort(comparator(sort));

  elements.caption.replaceChildren(
    text(l10n.t('ACUs per organization, {0} to {1}', view.range.start, view.range.end)),
    hidden(`${sortedBy(sort)} ${l10n.t('Use the column buttons to sort.')}`),
  );

  const header: HTMLTableCellElement[] = [sortHeader(l10n.t('Organization'), 'name', sort, onSort)];
  for (const product of products) header.push(headerCell(product, productSwatch(product)));
  header.push(sortHeader(l10n.t('Total ACUs'), 'total', sort, onSort), headerCell(l10n.t('Share')));
  elements.head.replaceChildren(...header);

  const rows = sorted.map((organization) => {
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    if (!split || products.length === 0) name.append(swatch(swatchFor(colourIndex.get(organization.id) ?? 0)));
    name.append(text(organization.name));
    row.append(name);
    for (const product of products) row.append(numberCell(organization.productTotals?.[product] ?? 0));
    row.append(numberCell(organization.total), numberCell(share(organization.total, view.total), '%'));
    return row;
  });
  elements.body.replaceChildren(...rows);

  const footer: HTMLTableCellElement[] = [];
  const label = document.createElement('th');
  label.scope = 'row';
  label.textContent = l10n.t('Total');
  footer.push(label);
  for (const product of products)
    footer.push(numberCell(view.productDaily.find((series) => series.product === product)?.total ?? 0));
  footer.push(numberCell(view.total), numberCell(view.total > 0 ? 100 : 0, '%'));
  elements.foot.replaceChildren(...footer);
  return { rows: rows.length, total: view.total };
}

/** Said to screen readers after the caption, which ends without a full stop. */
function sortedBy(sort: TableSort): string {
  if (sort.key === 'name')
    return sort.direction === 'ascending'
      ? l10n.t(', sorted by organization, ascending.')
      : l10n.t(', sorted by organization, descending.');
  return sort.direction === 'ascending'
    ? l10n.t(', sorted by total, ascending.')
    : l10n.t(', sorted by total, descending.');
}

function comparator(sort: TableSort): (a: OrganizationSeries, b: OrganizationSeries) => number {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  if (sort.key === 'name') return (a, b) => sign * a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  return (a, b) => sign * (a.total - b.total) || a.name.localeCompare(b.name);
}

function sortHeader(
  label: string,
  key: TableSort['key'],
  sort: TableSort,
  onSort: (sort: TableSort) => void,
): HTMLTableCellElement {
  return sortableHeader(label, key, sort, () => {
    // A new column starts with the order people expect: names A–Z, totals largest first.
    const direction =
      sort.key === key
        ? sort.direction === 'ascending'
          ? 'descending'
          : 'ascending'
        : key === 'name'
          ? 'ascending'
          : 'descending';
    onSort({ key, direction });
  });
}

function headerCell(label: string, colour?: { colour: number; shade: number }): HTMLTableCellElement {
  const cell = document.createElement('th');
  cell.scope = 'col';
  cell.className = 'number';
  if (colour) cell.append(swatch(colour));
  cell.append(text(label));
  return cell;
}

function numberCell(value: number, unit = ''): HTMLTableCellElement {
  const cell = document.createElement('td');
  cell.className = 'number';
  cell.textContent = unit === '%' ? shareFormat.format(value / 100) : formatAcus(value);
  return cell;
}

function swatch(colour: { colour: number; shade: number }): HTMLElement {
  const element = document.createElement('span');
  element.className = 'swatch';
  element.dataset.colour = String(colour.colour);
  element.dataset.shade = String(colour.shade);
  element.setAttribute('aria-hidden', 'true');
  return element;
}

function share(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

function text(value: string): Text {
  return document.createTextNode(value);
}

function hidden(value: string): HTMLElement {
  const element = document.createElement('span');
  element.className = 'visually-hidden';
  element.textContent = value;
  return element;
}
