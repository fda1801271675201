import * as l10n from '@vscode/l10n';
import type { SessionHeaderView } from '../shared/sessionProtocol';

/** The header: every value from the API is written as text; links carry `data-href` for the host to open. */
export function renderHeader(session: SessionHeaderView): void {
  const title = document.getElementById('title');
  if (title) title.textContent = session.title;
  document.title = session.title;

  const status = document.getElementById('status');
  const label = document.getElementById('status-label');
  if (status && label) {
    status.hidden = false;
    status.dataset.tone = session.status.tone;
    // The tree's colour for this status (a theme colour id such as charts.yellow), matched in session.css.
    status.dataset.color = session.status.color ?? 'foreground';
    label.textContent = session.status.label;
  }

  const facts = document.getElementById('facts');
  if (facts) {
    const entries: [string, Node][] = [[l10n.t('Organization'), text(session.organizationName)]];
    if (session.acus) entries.push([l10n.t('Used'), text(session.acus)]);
    if (session.created) entries.push([l10n.t('Created'), text(session.created)]);
    if (session.updated) entries.push([l10n.t('Updated'), text(session.updated)]);
    if (session.tags.length > 0) entries.push([l10n.t('Tags'), tags(session.tags)]);
    if (session.url) entries.push(['Devin', link(session.url, l10n.t('Open in the Devin web app'))]);
    facts.replaceChildren(
      ...entries.map(([name, value]) => {
        const group = document.createElement('div');
        const term = document.createElement('dt');
        term.textContent = name;
        const detail = document.createElement('dd');
        detail.append(value);
        group.append(term, detail);
        return group;
      }),
    );
  }

  const pullRequests = document.getElementById('pull-requests');
  if (pullRequests) {
    pullRequests.hidden = session.pullRequests.length === 0;
    pullRequests.replaceChildren(
      ...session.pullRequests.map((pr) => {
        const item = document.createElement('li');
        const state = document.createElement('span');
        state.className = 'pr-state';
        state.dataset.state = (pr.state ?? 'unknown').toLowerCase();
        state.textContent = pr.state ?? l10n.t('unknown');
        // {0}: the pull request's link, {1}: its state (open, merged…).
        item.append(...withNodes(l10n.t('Pull request {0} {1}', '{0}', '{1}'), link(pr.url, pr.name), state));
        return item;
      }),
    );
  }
}

/** A translated sentence whose `{n}` places hold elements (links, badges) rather than text. */
function withNodes(template: string, ...nodes: Node[]): Node[] {
  return template
    .split(/(\{\d+\})/)
    .filter((part) => part !== '')
    .map((part) => {
      const placeholder = /^\{(\d+)\}$/.exec(part);
      return (placeholder && nodes[Number(placeholder[1])]) || text(part);
    });
}

function text(value: string): Text {
  return document.createTextNode(value);
}

function link(url: string, label: string): HTMLElement {
  const anchor = document.createElement('a');
  anchor.className = 'link';
  anchor.dataset.href = url;
  anchor.setAttribute('role', 'link');
  anchor.tabIndex = 0;
  anchor.title = url;
  anchor.textContent = label;
  return anchor;
}

function tags(values: readonly string[]): Node {
  const list = document.createElement('span');
  list.className = 'tags';
  for (const value of values) {
    const tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = value;
    list.append(tag);
  }
  return list;
}
