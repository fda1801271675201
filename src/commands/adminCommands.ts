import * as vscode from 'vscode';
import { isDevinApiError } from '../api/errors';
import type { SessionDraft } from '../core/drafts';
import { collectPages } from '../core/paging';
import { auditLogMarkdown } from '../core/reports';
import type { ReadonlyDocuments } from '../views/readonlyDocuments';
import { describeIdentity } from './authCommands';
import { optionsFrom, pickOrganization, type CommandContext } from './commandContext';
import { cancelled, errorMessage, reportError, type CommandOutcome } from './feedback';
import { Command } from '../commandIds';

/**
 * The API's administrative workflows: who the token is, new organizations and service users, the
 * audit log, and one prompt sent to every organization.
 */

export function registerAdminCommands(context: CommandContext, documents: ReadonlyDocuments): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.showIdentity, () => showIdentity(context)),
    vscode.commands.registerCommand(Command.createOrganization, (args?: { name?: string; maxCycleAcuLimit?: number }) =>
      createOrganization(context, args),
    ),
    vscode.commands.registerCommand(Command.createServiceUser, (arg?: unknown) =>
      createServiceUser(context, optionsFrom<ServiceUserArgs>(arg)),
    ),
    vscode.commands.registerCommand(Command.showAuditLog, (args?: { days?: number }) =>
      showAuditLog(context, documents, args),
    ),
    vscode.commands.registerCommand(
      Command.sendPromptToAllOrganizations,
      (args?: { prompt?: string; confirmed?: boolean }) => sendPromptToAllOrganizations(context, args),
    ),
  ];
}

async function showIdentity(context: CommandContext): Promise<CommandOutcome<{ name: string }>> {
  try {
    const identity = await context.account.getIdentity();
    const copy = identity.id ? 'Copy ID' : undefined;
    void vscode.window
      .showInformationMessage(`Devin: signed in as ${describeIdentity(identity)}.`, ...(copy ? [copy] : []))
      .then((choice) => {
        if (choice && identity.id) void vscode.env.clipboard.writeText(identity.id);
      });
    return { ok: true, name: identity.name };
  } catch (error) {
    return { ok: false, error: reportError(context.log, 'Could not read your Devin identity', error) };
  }
}

async function createOrganization(
  context: CommandContext,
  args: { name?: string; maxCycleAcuLimit?: number } = {},
): Promise<CommandOutcome<{ orgId: string }>> {
  const name =
    args.name ??
    (await vscode.window.showInputBox({
      title: 'Devin: New Organization',
      prompt: 'Name of the new organization',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'A name is required.'),
    }));
  if (!name?.trim()) return cancelled;
  let limit = args.maxCycleAcuLimit;
  if (args.name === undefined) {
    const typed = await vscode.window.showInputBox({
      title: 'Devin: New Organization',
      prompt: 'ACU limit per billing cycle (optional; leave empty for none)',
      ignoreFocusOut: true,
      validateInput: (value) =>
        value.trim() === '' || /^\d+$/.test(value.trim()) ? undefined : 'A whole number of ACUs, or empty.',
    });
    if (typed === undefined) return cancelled;
    limit = typed.trim() ? Number(typed.trim()) : undefined;
  }
  try {
    const organization = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Creating organization ${name.trim()}…` },
      () => context.account.getClient().createOrganization({ name: name.trim(), maxCycleAcuLimit: limit }),
    );
    context.store.refresh();
    void vscode.window.showInformationMessage(`Devin organization created: ${organization.name} (${organization.id}).`);
    return { ok: true, orgId: organization.id };
  } catch (error) {
    // Retry sends what was typed again rather than asking for it anew.
    const retry = { name: name.trim(), maxCycleAcuLimit: limit };
    return {
      ok: false,
      error: reportError(context.log, 'Could not create the organization', error, [
        { title: 'Retry', run: () => vscode.commands.executeCommand(Command.createOrganization, retry) },
      ]),
    };
  }
}

interface ServiceUserArgs {
  readonly orgId?: string;
  readonly name?: string;
  readonly role?: string;
  /** Set by Retry: the values were typed by a person, who must still be offered the new token. */
  readonly offerToken?: boolean;
}

async function createServiceUser(
  context: CommandContext,
  args: ServiceUserArgs = {},
): Promise<CommandOutcome<{ serviceUserId: string }>> {
  // What the user has chosen so far, so a failure's Retry does not ask again.
  const chosen: { -readonly [K in keyof ServiceUserArgs]: ServiceUserArgs[K] } = {
    ...args,
    offerToken: args.offerToken ?? args.name === undefined,
  };
  try {
    const organization = await pickOrganization(context, 'Devin: New Service User', args.orgId);
    if (!organization) return cancelled;
    chosen.orgId = organization.id;
    const name =
      args.name ??
      (await vscode.window.showInputBox({
        title: `New service user in ${organization.name}`,
        prompt: 'Name, e.g. ci-bot',
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : 'A name is required.'),
      }));
    if (!name?.trim()) return cancelled;
    chosen.name = name.trim();
    const role = args.role ?? (await pickRole());
    if (!role) return cancelled;
    chosen.role = role;
    const created = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Creating service user ${name.trim()}…` },
      () => context.account.getClient().createServiceUser(organization.id, { name: name.trim(), role }),
    );
    context.log.info(`Created service user ${created.id} in ${organization.id}.`);
    // The token is shown by the API once; it goes to the clipboard or straight into sign-in, never to a log.
    if (chosen.offerToken) void offerNewToken(created.name, created.token);
    return { ok: true, serviceUserId: created.id };
  } catch (error) {
    return {
      ok: false,
      error: reportError(context.log, 'Could not create the service user', error, [
        { title: 'Retry', run: () => vscode.commands.executeCommand(Command.createServiceUser, chosen) },
      ]),
    };
  }
}

async function pickRole(): Promise<string | undefined> {
  const roles = [
    { label: 'member', description: 'Sessions and resources, no settings' },
    { label: 'admin', description: 'Sessions, Knowledge, playbooks, secrets and settings' },
    { label: '$(edit) Another role ID…', description: 'For custom roles' },
  ];
  const picked = await vscode.window.showQuickPick(roles, { title: 'Role of the service user', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked !== roles[2]) return picked.label;
  return (await vscode.window.showInputBox({ title: 'Role ID', ignoreFocusOut: true }))?.trim() || undefined;
}

async function offerNewToken(name: string, token: string): Promise<void> {
  const copy = 'Copy Token';
  const signIn = 'Sign In with It';
  const choice = await vscode.window.showInformationMessage(
    `Service user ${name} was created. Devin shows its API token only once: copy it now or sign in with it.`,
    { modal: true },
    copy,
    signIn,
  );
  if (choice === copy) await vscode.env.clipboard.writeText(token);
  if (choice === signIn) await vscode.commands.executeCommand(Command.signIn, { token });
}

const AUDIT_LOG_LIMIT = 1000;

async function showAuditLog(
  context: CommandContext,
  documents: ReadonlyDocuments,
  args: { days?: number } = {},
): Promise<CommandOutcome<{ count: number }>> {
  const days =
    args.days ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'Last 24 hours', days: 1 },
          { label: 'Last 7 days', days: 7 },
          { label: 'Last 30 days', days: 30 },
          { label: 'Last 100 days', days: 100 },
        ],
        { title: 'Devin: Show Audit Log', placeHolder: 'Which period?' },
      )
    )?.days;
  if (!days) return cancelled;
  const to = Math.floor(Date.now() / 1000);
  const from = to - days * 86_400;
  try {
    const { items, truncated } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Reading the Devin audit log…', cancellable: true },
      (progress, cancellation) => {
        const controller = new AbortController();
        cancellation.onCancellationRequested(() => controller.abort());
        const client = context.account.getClient();
        return collectPages(
          (after) =>
            client.listAuditLogs({ timeAfter: from, timeBefore: to, first: 200, after, signal: controller.signal }),
          AUDIT_LOG_LIMIT,
          (count) => progress.report({ message: `${count} events` }),
        );
      },
    );
    await documents.show(
      `/Devin audit log (${days} day${days === 1 ? '' : 's'}).md`,
      auditLogMarkdown(items, { from, to }, truncated),
    );
    return { ok: true, count: items.length };
  } catch (error) {
    if (isDevinApiError(error) && error.kind === 'cancelled') return cancelled;
    return { ok: false, error: reportError(context.log, 'Could not read the audit log', error) };
  }
}

const BROADCAST_CONCURRENCY = 4;

/** One prompt, one new session in each organization; failures are kept as drafts per organization. */
async function sendPromptToAllOrganizations(
  context: CommandContext,
  args: { prompt?: string; confirmed?: boolean } = {},
): Promise<CommandOutcome<{ created: number; failed: number }>> {
  try {
    const organizations = await context.store.loadOrganizations();
    const prompt =
      args.prompt ??
      (await vscode.window.showInputBox({
        title: 'Devin: Send a Prompt to Every Organization',
        prompt: `Starts one session in each of your ${organizations.length} organizations.`,
        ignoreFocusOut: true,
      }));
    if (!prompt?.trim()) return cancelled;
    if (!args.confirmed) {
      const go = `Start ${organizations.length} Sessions`;
      if (
        (await vscode.window.showWarningMessage(
          `Start ${organizations.length} Devin sessions, one in each organization? Each one uses ACUs.`,
          { modal: true },
          go,
        )) !== go
      )
        return cancelled;
    }
    const failures: string[] = [];
    let created = 0;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Starting Devin sessions…' },
      async (progress) => {
        const queue = [...organizations];
        const worker = async () => {
          for (let organization = queue.shift(); organization; organization = queue.shift()) {
            try {
              const session = await context.account.getClient().createSession(organization.id, { prompt });
              context.store.addOrUpdateSession(session);
              created++;
            } catch (error) {
              failures.push(`${organization.name}: ${errorMessage(error)}`);
              await context.drafts.save<SessionDraft>({
                kind: 'session',
                orgId: organization.id,
                prompt,
                lastError: isDevinApiError(error) ? error.kind : 'error',
              });
            }
            progress.report({
              message: `${created + failures.length} of ${organizations.length}`,
              increment: 100 / organizations.length,
            });
          }
        };
        await Promise.all(Array.from({ length: Math.min(BROADCAST_CONCURRENCY, organizations.length) }, worker));
      },
    );
    if (failures.length === 0)
      void vscode.window.showInformationMessage(`Started ${created} Devin sessions, one per organization.`);
    else {
      for (const failure of failures) context.log.warn(`Prompt not sent to ${failure}`);
      void vscode.window
        .showWarningMessage(
          `Started ${created} of ${organizations.length} sessions. ${failures.length} failed and were kept for retry.`,
          'Retry Unsent',
          'Show Log',
        )
        .then((choice) => {
          if (choice === 'Retry Unsent') void vscode.commands.executeCommand(Command.retrySessionDraft);
          if (choice === 'Show Log') context.log.show(true);
        });
    }
    return { ok: true, created, failed: failures.length };
  } catch (error) {
    return { ok: false, error: reportError(context.log, 'Could not send the prompt to every organization', error) };
  }
}
