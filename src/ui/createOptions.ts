import * as vscode from 'vscode';
import { isDevinApiError } from '../api/errors';
import type { Organization, SessionRequest } from '../core/models';
import { collectPages } from '../core/paging';
import type { CommandContext } from './commandContext';
import { errorMessage } from './feedback';

/**
 * "Create with Options…": title, tags, playbook, Knowledge notes, repositories, an ACU cap and "create as"
 * a member, each offered from what the organization has, with the last choices for that organization
 * filled in. Escape on any step cancels the whole flow; the prompt is not lost (the caller still has it).
 */

/** A session's options: the one create request without its prompt. */
export type CreateOptions = Omit<SessionRequest, 'prompt'>;

/** Just the session's options out of a larger bag of arguments, so nothing else rides along into a draft. */
export function sessionOptionsOf(options: CreateOptions): CreateOptions {
  return {
    title: options.title,
    tags: options.tags,
    createAsUserId: options.createAsUserId,
    attachments: options.attachments,
    playbookId: options.playbookId,
    knowledgeIds: options.knowledgeIds,
    repos: options.repos,
    maxAcuLimit: options.maxAcuLimit,
  };
}

const LAST_OPTIONS_KEY = 'devin.lastCreateOptions';

type Remembered = Record<string, Omit<CreateOptions, 'title'>>;

export async function askCreateOptions(
  context: CommandContext,
  organization: Organization,
): Promise<CreateOptions | undefined> {
  const last = context.globalState.get<Remembered>(LAST_OPTIONS_KEY, {})[organization.id] ?? {};
  const client = context.account.getClient();
  const step = (n: number) =>
    vscode.l10n.t({
      message: 'Devin: New Session in {0} ({1}/7)',
      args: [organization.name, n],
      comment: ['{1} is the step of the flow, out of 7'],
    });

  const title = await vscode.window.showInputBox({
    title: step(1),
    prompt: vscode.l10n.t('Session title (optional): leave empty to let Devin name it.'),
    ignoreFocusOut: true,
  });
  if (title === undefined) return undefined;

  const tags = await vscode.window.showInputBox({
    title: step(2),
    prompt: vscode.l10n.t('Tags (optional), comma-separated, e.g. vscode, backend'),
    value: last.tags?.join(', ') ?? '',
    ignoreFocusOut: true,
  });
  if (tags === undefined) return undefined;

  const playbooks = await optionalList(context, 'playbooks', () =>
    collectPages((after) => client.listPlaybooks(organization.id, { first: 200, after }), 1000),
  );
  const none = { label: vscode.l10n.t('No playbook'), id: undefined as string | undefined };
  const playbookItems = [
    none,
    ...playbooks.map((playbook) => ({ label: playbook.title, description: playbook.macro, id: playbook.id })),
  ];
  const playbook = await vscode.window.showQuickPick(
    [...playbookItems].sort((a, b) => Number(b.id === last.playbookId) - Number(a.id === last.playbookId)),
    { title: step(3), placeHolder: vscode.l10n.t('Playbook to follow'), ignoreFocusOut: true },
  );
  if (!playbook) return undefined;

  const notes = await optionalList(context, 'Knowledge', () =>
    collectPages((after) => client.listKnowledgeNotes(organization.id, { first: 200, after }), 1000),
  );
  let knowledgeIds: string[] | undefined;
  if (notes.length > 0) {
    const items = notes.map((note) => ({ label: note.name, description: note.folderPath, id: note.id }));
    const picked = await vscode.window.showQuickPick(items, {
      title: step(4),
      placeHolder: vscode.l10n.t('Knowledge to include: select none to let Devin use all of it, as usual'),
      canPickMany: true,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    knowledgeIds = picked.length > 0 ? picked.map((item) => item.id) : undefined;
  }

  const repos = await vscode.window.showInputBox({
    title: step(5),
    prompt: vscode.l10n.t('Repositories to work in (optional), comma-separated owner/name'),
    value: last.repos?.join(', ') ?? '',
    ignoreFocusOut: true,
    validateInput: (text) =>
      split(text).every((repo) => /^[^/\s]+\/[^\s]+$/.test(repo))
        ? undefined
        : vscode.l10n.t('Write each repository as owner/name.'),
  });
  if (repos === undefined) return undefined;

  const cap = await vscode.window.showInputBox({
    title: step(6),
    prompt: vscode.l10n.t('ACU limit for this session (optional): a whole number above 0'),
    value: last.maxAcuLimit !== undefined ? String(last.maxAcuLimit) : '',
    ignoreFocusOut: true,
    validateInput: (text) =>
      !text.trim() || /^[1-9]\d*$/.test(text.trim()) ? undefined : vscode.l10n.t('A whole number above 0.'),
  });
  if (cap === undefined) return undefined;

  const createAsUserId = await pickMember(context, organization, step(7), last.createAsUserId);
  if (createAsUserId === undefined) return undefined;

  const chosen: Omit<CreateOptions, 'title'> = {
    tags: split(tags),
    playbookId: playbook.id,
    knowledgeIds,
    repos: split(repos),
    maxAcuLimit: cap.trim() ? Number(cap.trim()) : undefined,
    createAsUserId: createAsUserId || undefined,
  };
  const remembered = context.globalState.get<Remembered>(LAST_OPTIONS_KEY, {});
  await context.globalState.update(LAST_OPTIONS_KEY, { ...remembered, [organization.id]: chosen });
  return { ...chosen, title: title.trim() || undefined };
}

/** '' means "myself"; undefined means cancelled. Without member access the id is typed instead. */
async function pickMember(
  context: CommandContext,
  organization: Organization,
  title: string,
  lastId: string | undefined,
): Promise<string | undefined> {
  let members: { id: string; name: string | undefined; email: string | undefined }[];
  try {
    members = (
      await collectPages(
        (after) => context.account.getClient().listMembers(organization.id, { first: 200, after }),
        2000,
      )
    ).items;
  } catch (error) {
    context.log.info(`Members of ${organization.name} are not listable: ${errorMessage(error)}`);
    const typed = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('Create as user (optional): a user id. Needs the ImpersonateOrgSessions permission.'),
      value: lastId ?? '',
      ignoreFocusOut: true,
    });
    return typed?.trim();
  }
  const myself = {
    label: `$(account) ${vscode.l10n.t('Myself')}`,
    description: vscode.l10n.t('the signed-in token'),
    id: '',
  };
  const items = [
    myself,
    ...members.map((member) => ({
      label: member.name ?? member.email ?? member.id,
      description: member.email && member.name ? member.email : member.id,
      id: member.id,
    })),
  ].sort((a, b) => Number(b.id === (lastId ?? '')) - Number(a.id === (lastId ?? '')));
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: vscode.l10n.t('Create the session as (another member needs the ImpersonateOrgSessions permission)'),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return picked?.id;
}

/** A list that cannot be read (no permission, older API) leaves its step empty rather than stopping the flow. */
async function optionalList<T>(
  context: CommandContext,
  what: string,
  load: () => Promise<{ readonly items: T[] }>,
): Promise<T[]> {
  try {
    return (await load()).items;
  } catch (error) {
    if (!isDevinApiError(error)) throw error;
    context.log.info(`Could not list ${what} for a new session: ${error.message}`);
    return [];
  }
}

function split(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
