import * as vscode from 'vscode';
import { findCreatedOrganization } from '../api/createdLookup';
import { isDevinApiError, isOutcomeUnknown, isUnreadableSuccess } from '../api/errors';
import type { Organization } from '../core/models';
import { sendKey } from '../core/sendGuard';
import { collectPages } from '../core/paging';
import { auditLogMarkdown } from '../core/reports';
import type { ReadonlyDocuments } from '../views/readonlyDocuments';
import { describeIdentity } from './authCommands';
import { sendPromptToAllOrganizations } from './broadcastCommand';
import { optionsFrom, pickOrganization, type CommandContext } from './commandContext';
import { alreadySending, cancelled, reportError, type CommandOutcome } from './feedback';
import { Command } from '../commandIds';

/**
 * The API's administrative workflows: who the token is, new organizations and service users, the
 * audit log, and one prompt sent to every organization.
 */

export function registerAdminCommands(context: CommandContext, documents: ReadonlyDocuments): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.showIdentity, () => showIdentity(context)),
    vscode.commands.registerCommand(Command.createOrganization, (args?: OrganizationArgs) =>
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
      (args?: { prompt?: string; confirmed?: boolean }) => sendPromptToAllOrganizations(context, documents, args),
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
  args: OrganizationArgs = {},
): Promise<CommandOutcome<{ orgId?: string; found?: boolean }>> {
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
  const request = { name: name.trim(), maxCycleAcuLimit: limit, uncertainSince: args.uncertainSince };
  return context.sendGuard.run(
    sendKey('organization', request.name),
    () => createOrganizationOnce(context, request),
    () => alreadySending(`organization ${request.name}`),
  );
}

async function createOrganizationOnce(
  context: CommandContext,
  request: OrganizationArgs & { name: string },
): Promise<CommandOutcome<{ orgId?: string; found?: boolean }>> {
  const { name } = request;
  let attemptStarted: number | undefined;
  try {
    const client = context.account.getClient();
    if (request.uncertainSince !== undefined) {
      const since = request.uncertainSince;
      const existing = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Looking for organization ${name}…` },
        () => findCreatedOrganization(client, { name, since }),
      );
      if (existing) {
        context.store.refresh();
        void vscode.window.showInformationMessage(
          `Devin organization ${existing.name} (${existing.id}) already exists: the earlier attempt created it.`,
        );
        return { ok: true, orgId: existing.id, found: true };
      }
    }
    attemptStarted = Date.now();
    const organization = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Creating organization ${name}…` },
      () => client.createOrganization({ name, maxCycleAcuLimit: request.maxCycleAcuLimit }),
    );
    context.store.refresh();
    void vscode.window.showInformationMessage(`Devin organization created: ${organization.name} (${organization.id}).`);
    return { ok: true, orgId: organization.id };
  } catch (error) {
    if (attemptStarted !== undefined && isUnreadableSuccess(error)) {
      context.store.refresh();
      const found = await findCreatedOrganization(context.account.getClient(), {
        name,
        since: attemptStarted,
      }).catch(() => undefined);
      void vscode.window.showInformationMessage(
        `Devin organization ${name} was created${found ? ` (${found.id})` : ''}, but its answer could not be read. The list has been refreshed.`,
      );
      return { ok: true, orgId: found?.id };
    }
    const unknown = isOutcomeUnknown(error);
    // Retry sends what was typed again rather than asking for it anew, and first looks for what may exist.
    const retry: OrganizationArgs = {
      name,
      maxCycleAcuLimit: request.maxCycleAcuLimit,
      uncertainSince: unknown
        ? Math.min(request.uncertainSince ?? Infinity, attemptStarted ?? Date.now())
        : request.uncertainSince,
    };
    const prefix = unknown
      ? `Organization ${name} may have been created (Retry looks for it before creating another)`
      : 'Could not create the organization';
    return {
      ok: false,
      outcomeUnknown: unknown,
      error: reportError(context.log, prefix, error, [
        { title: 'Retry', run: () => vscode.commands.executeCommand(Command.createOrganization, retry) },
      ]),
    };
  }
}

interface OrganizationArgs {
  readonly name?: string;
  readonly maxCycleAcuLimit?: number;
  /** Set by Retry after an answer was lost: when the earlier attempt was sent. */
  readonly uncertainSince?: number;
}

interface ServiceUserArgs {
  readonly orgId?: string;
  readonly name?: string;
  readonly role?: string;
  /** Set by Retry: the values were typed by a person, who must still be offered the new token. */
  readonly offerToken?: boolean;
}

async function createServiceUser(context: CommandContext, args: ServiceUserArgs = {}): Promise<ServiceUserOutcome> {
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
    const request = { organization, name: name.trim(), role, offerToken: chosen.offerToken };
    return await context.sendGuard.run(
      sendKey('serviceUser', organization.id, request.name),
      () => createServiceUserOnce(context, request, chosen),
      () => alreadySending(`service user ${request.name}`),
    );
  } catch (error) {
    return {
      ok: false,
      error: reportError(context.log, 'Could not create the service user', error, [
        { title: 'Retry', run: () => vscode.commands.executeCommand(Command.createServiceUser, chosen) },
      ]),
    };
  }
}

async function createServiceUserOnce(
  context: CommandContext,
  request: { organization: Organization; name: string; role: string; offerToken: boolean | undefined },
  chosen: ServiceUserArgs,
): Promise<ServiceUserOutcome> {
  const { organization, name, role } = request;
  let sent = false;
  try {
    const created = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Creating service user ${name}…` },
      () => {
        sent = true;
        return context.account.getClient().createServiceUser(organization.id, { name, role });
      },
    );
    context.log.info(`Created service user ${created.id} in ${organization.id}.`);
    // The token is shown by the API once; it goes to the clipboard or straight into sign-in, never to a log.
    if (request.offerToken) void offerNewToken(created.name, created.token);
    return { ok: true, serviceUserId: created.id };
  } catch (error) {
    if (sent && isUnreadableSuccess(error)) {
      const message = `Service user ${name} was created in ${organization.name}, but Devin's answer could not be read, so its one-time API token is lost. ${NEW_TOKEN_ADVICE}`;
      context.log.warn(message);
      void vscode.window.showWarningMessage(message);
      return { ok: true, tokenLost: true };
    }
    const unknown = isOutcomeUnknown(error);
    if (unknown) {
      // Service users cannot be listed through the API, so only the user can check whether it exists.
      return {
        ok: false,
        outcomeUnknown: true,
        error: reportError(
          context.log,
          `Service user ${name} may have been created in ${organization.name}; if it was, its one-time API token was in the lost answer. Check the organization's service users in the Devin web app before creating another. ${NEW_TOKEN_ADVICE}`,
          error,
          [{ title: 'Create Another', run: () => vscode.commands.executeCommand(Command.createServiceUser, chosen) }],
        ),
      };
    }
    throw error;
  }
}

const NEW_TOKEN_ADVICE =
  'To use it, create a new API key for it in the Devin web app (organization settings, Service users), or delete it and create a new one.';

type ServiceUserOutcome = CommandOutcome<{ serviceUserId?: string; tokenLost?: boolean }>;

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
