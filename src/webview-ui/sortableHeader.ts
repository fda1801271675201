/**
 * A column header that sorts: a real button, so Enter and Space work as on any button, `aria-sort` on the cell for
 * screen readers, and an arrow for everyone else. What a click does to the order is the caller's rule.
 */
export function sortableHeader<Key extends string>(
  label: string,
  key: Key,
  sort: { readonly key: Key; readonly direction: 'ascending' | 'descending' },
  onActivate: () => void,
  className?: string,
): HTMLTableCellElement {
  const cell = document.createElement('th');
  cell.scope = 'col';
  if (className) cell.className = className;
  const active = sort.key === key;
  cell.setAttribute('aria-sort', active ? sort.direction : 'none');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'sort';
  button.dataset.sortKey = key;
  const arrow = document.createElement('span');
  arrow.setAttribute('aria-hidden', 'true');
  arrow.textContent = active ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : '';
  button.append(document.createTextNode(label), arrow);
  button.addEventListener('click', onActivate);
  cell.append(button);
  return cell;
}
