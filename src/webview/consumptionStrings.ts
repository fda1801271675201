import * as vscode from 'vscode';
import type { PageStrings } from '../shared/consumptionProtocol';

/**
 * The consumption page's words in VS Code's display language. The page cannot reach the extension's
 * language bundle, so the host translates and sends them; placeholders (`{0}`) stay for the page to fill.
 * Built at each `ready`, never at load time, so the bundle in force is the one used.
 */
export function consumptionPageStrings(): PageStrings {
  return {
    sessionTable: {
      heading: vscode.l10n.t('ACUs per session'),
      caption: vscode.l10n.t('Sessions created {0} to {1}'),
      source: vscode.l10n.t(
        "Each session's ACUs are its whole consumption so far, as the sessions list reports it (the API lists no consumption per session for a range), so they can include ACUs spent after the range and need not add up to the chart.",
      ),
      truncated: vscode.l10n.t('Only the first {0} sessions were read; the list has more.'),
      unreadable: vscode.l10n.t('Not included, as this token may not list their sessions: {0}.'),
      sortedBy: vscode.l10n.t('Sorted by {0}, {1}. Activate a column header to sort by it.'),
      ascending: vscode.l10n.t('ascending'),
      descending: vscode.l10n.t('descending'),
      columns: {
        session: vscode.l10n.t('Session'),
        organization: vscode.l10n.t('Organization'),
        status: vscode.l10n.t('Status'),
        acus: vscode.l10n.t('ACUs'),
        created: vscode.l10n.t('Created'),
      },
      totalOne: vscode.l10n.t('Total (1 session)'),
      totalMany: vscode.l10n.t('Total ({0} sessions)'),
      showAll: vscode.l10n.t('Show all {0} sessions'),
      showTop: vscode.l10n.t('Show the top {0} only'),
      showing: vscode.l10n.t('Showing {0} of {1} sessions.'),
      loading: vscode.l10n.t('Loading sessions…'),
      loadingProgress: vscode.l10n.t('Loading sessions… {0} read'),
      empty: vscode.l10n.t('No sessions were created in this range.'),
      retry: vscode.l10n.t('Retry'),
      openSession: vscode.l10n.t('Open session {0}'),
      unknownValue: vscode.l10n.t('unknown'),
    },
  };
}
