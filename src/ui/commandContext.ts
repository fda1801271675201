import * as vscode from 'vscode';
import type { DevinAccount } from '../auth/account';
import type { TokenPermissions } from '../auth/permissions';
import type { Composer } from './composer';
import type { DraftStore } from '../core/drafts';
import type { SendGuard } from '../core/sendGuard';
import type { Organization } from '../core/models';
import { organizationOfRow, type DevinNode } from '../views/nodes';
import { noteOfRow, organizationIdOfRow, scheduleOfRow } from '../views/resourceNodes';
import type { SessionsTreeProvider } from '../views/sessionsTree';
import type { SessionStore } from '../store/sessionStore';

/** What the command groups share, built once in `activate`. */
export interface CommandContext {
  readonly account: DevinAccount;
  /** What the API said; commands read and update sessions here. */
  readonly store: SessionStore;
  /** Only for revealing rows. */
  readonly tree: SessionsTreeProvider;
  readonly treeView: vscode.TreeView<DevinNode>;
  readonly drafts: DraftStore;
  readonly log: vscode.LogOutputChannel;
  readonly globalState: vscode.Memento;
  readonly composer: Composer;
  readonly sendGuard: SendGuard;
  /** What the token may do; commands ask before asking the user for anything. */
  readonly permissions?: TokenPermissions;
}

const LAST_ORGANIZATION_KEY = 'devin.lastOrganizationId';

/**
 * The organization to act in: the one given, the only one, or the user's pick with the last one used
 * on top. Undefined when the user cancels; throws when organizations cannot be loaded.
 */
export async function pickOrganization(
  context: CommandContext,
  title: string,
  preferredId?: string,
): Promise<Organization | undefined> {
  // A caller that names the organization must not need a token that can list organizations.
  if (preferredId) return context.store.organizationOrId(preferredId);
  const organizations = await context.store.loadOrganizations();
  if (organizations.length === 0)
    throw new Error(
      vscode.l10n.t(
        'Your token does not belong to any organization. Ask an administrator to add it to one, or set devin.orgId.',
      ),
    );
  if (organizations.length === 1) return organizations[0];
  const lastId = context.globalState.get<string>(LAST_ORGANIZATION_KEY);
  const ordered = [...organizations].sort((a, b) => Number(b.id === lastId) - Number(a.id === lastId));
  const picked = await vscode.window.showQuickPick(
    ordered.map((organization) => ({
      label: organization.name,
      description: organization.id === lastId ? vscode.l10n.t('{0} · last used', organization.id) : organization.id,
      organization,
    })),
    { title, placeHolder: vscode.l10n.t('Choose the organization'), matchOnDescription: true, ignoreFocusOut: true },
  );
  if (picked) await context.globalState.update(LAST_ORGANIZATION_KEY, picked.organization.id);
  return picked?.organization;
}

/**
 * Commands on rows receive the row; from the palette or other callers they receive options. Either way
 * the handler sees options: the row's organization as `orgId`, a schedule's row adds `scheduleId` (and
 * the schedule as drawn), a Knowledge note's row `noteId`.
 */
export function optionsFrom<T extends { readonly orgId?: string }>(arg: unknown): T | undefined {
  const schedule = scheduleOfRow(arg);
  if (schedule)
    return { orgId: schedule.orgId, scheduleId: schedule.schedule.id, schedule: schedule.schedule } as unknown as T;
  const note = noteOfRow(arg);
  if (note) return { orgId: note.orgId, noteId: note.note.id } as unknown as T;
  const orgId = organizationOfRow(arg)?.id ?? organizationIdOfRow(arg);
  if (orgId !== undefined) return { orgId } as T;
  return arg && typeof arg === 'object' && !(arg instanceof Array) ? (arg as T) : undefined;
}
