import * as vscode from 'vscode';
import { isDevinApiError } from '../api/errors';
import type { SessionDraft } from '../core/drafts';
import { describeIdentity } from './authCommands';
import { optionsFrom, pickOrganization, type CommandContext } from './commandContext';
import { cancelled, errorMessage, reportError, type CommandOutcome } from './feedback';
import { Command } from '../commandIds';
import { refuseWithoutPermission } from './permissionGate';
import { listAssignableRoles, MAX_SERVICE_USER_TTL_SECONDS, SERVICE_USER_TTL_DAYS } from '../api/serviceUsers';

/**
 * The API's administrative workflows: who the token is, new organizations and service users, and one
 * prompt sent to every organization. The audit log has its own file.
 */

export function registerAdminCommands(context: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.showIdentity, () => showIdentity(context)),
    vscode.commands.registerCommand(Command.createOrganization, (args?: OrganizationArgs) =>
      createOrganization(context, args),
    ),
    vscode.commands.registerCommand(Command.createServiceUser, (arg?: unknown) =>
      createServiceUser(context, optionsFrom<ServiceUserArgs>(arg)),
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

interface OrganizationArgs {
  readonly name?: string;
  readonly maxCycleAcuLimit?: number;
  readonly maxSessionAcuLimit?: number;
}

async function createOrganization(
  context: CommandContext,
  args: OrganizationArgs = {},
): Promise<CommandOutcome<{ orgId: string }>> {
  const refused = await refuseWithoutPermission(context, 'manageOrganizations');
  if (refused) return refused;
  const title = 'Devin: New Organization';
  const name =
    args.name ??
    (await vscode.window.showInputBox({
      title,
      prompt: 'Name of the new organization',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'A name is required.'),
    }));
  if (!name?.trim()) return cancelled;
  let cycleLimit = args.maxCycleAcuLimit;
  let sessionLimit = args.maxSessionAcuLimit;
  if (args.name === undefined) {
    const cycle = await askAcuLimit(title, 'Monthly ACU limit: most ACUs the organization may use per billing cycle');
    if (cycle === null) return cancelled;
    const session = await askAcuLimit(title, 'Per-session ACU limit: most ACUs one session may use');
    if (session === null) return cancelled;
    [cycleLimit, sessionLimit] = [cycle, session];
  }
  const request = { name: name.trim(), maxCycleAcuLimit: cycleLimit, maxSessionAcuLimit: sessionLimit };
  try {
    const organization = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Creating organization ${request.name}…` },
      () => context.account.getClient().createOrganization(request),
    );
    context.tree.refresh();
    void vscode.window.showInformationMessage(`Devin organization created: ${organization.name} (${organization.id}).`);
    return { ok: true, orgId: organization.id };
  } catch (error) {
    // Retry sends what was typed again rather than asking for it anew.
    return {
      ok: false,
      error: reportError(context.log, 'Could not create the organization', error, [
        { title: 'Retry', run: () => vscode.commands.executeCommand(Command.createOrganization, request) },
      ]),
    };
  }
}

/** A whole number of ACUs, undefined for "no limit", or null when the user cancels. */
async function askAcuLimit(title: string, prompt: string): Promise<number | undefined | null> {
  const typed = await vscode.window.showInputBox({
    title,
    prompt: `${prompt} (optional; leave empty for none)`,
    ignoreFocusOut: true,
    validateInput: (value) =>
      value.trim() === '' || /^\d+$/.test(value.trim()) ? undefined : 'A whole number of ACUs, or empty.',
  });
  if (typed === undefined) return null;
  return typed.trim() ? Number(typed.trim()) : undefined;
}

interface ServiceUserArgs {
  readonly orgId?: string;
  readonly name?: string;
  readonly roleId?: string;
  /** The specification's role name (`admin`, `member`); taken as a role id when no `roleId` is given. */
  readonly role?: string;
  readonly roleName?: string;
  readonly ttlDays?: number;
  /** Set by Retry: the values were typed by a person, who must still be offered the new token. */
  readonly offerToken?: boolean;
}

async function createServiceUser(
  context: CommandContext,
  args: ServiceUserArgs = {},
): Promise<CommandOutcome<{ serviceUserId: string }>> {
  const refused = await refuseWithoutPermission(context, 'manageServiceUsers');
  if (refused) return refused;
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
    const role =
      (args.roleId ?? args.role)
        ? { id: (args.roleId ?? args.role) as string, name: args.roleName }
        : await pickRole(context, organization.id);
    if (!role) return cancelled;
    chosen.roleId = role.id;
    chosen.roleName = role.name;
    const ttlDays = args.ttlDays ?? (await pickTtlDays());
    if (ttlDays === undefined) return cancelled;
    const ttlSeconds = Math.round(ttlDays * 86_400);
    if (!(ttlSeconds >= 1 && ttlSeconds <= MAX_SERVICE_USER_TTL_SECONDS))
      throw new Error(`A key lifetime must be between 1 and 365 days; ${ttlDays} days was asked for.`);
    chosen.ttlDays = ttlDays;
    const created = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Creating service user ${name.trim()}…` },
      () =>
        context.account
          .getClient()
          .createServiceUser(organization.id, { name: name.trim(), roleId: role.id, roleName: role.name, ttlSeconds }),
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

/** The organization's real roles, so the request carries a `role_id` the API knows. */
async function pickRole(context: CommandContext, orgId: string): Promise<{ id: string; name?: string } | undefined> {
  const { roles, source } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Reading Devin roles…' },
    () => listAssignableRoles(context.account.getClient(), orgId),
  );
  const other = { label: '$(edit) Another role ID…', description: 'For a custom role', role: undefined };
  const items = [...roles.map((role) => ({ label: role.name, description: role.id, role })), other];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Role of the service user',
    placeHolder:
      source === 'builtIn'
        ? 'Your token cannot list roles; these are the roles every organization has'
        : 'It cannot hold more permissions than your own role',
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.role) return { id: picked.role.id, name: picked.role.name };
  const typed = (await vscode.window.showInputBox({ title: 'Role ID', ignoreFocusOut: true }))?.trim();
  return typed ? { id: typed } : undefined;
}

async function pickTtlDays(): Promise<number | undefined> {
  const picked = await vscode.window.showQuickPick(
    SERVICE_USER_TTL_DAYS.map((days) => ({
      label: days === 365 ? '1 year' : `${days} days`,
      description: days === 90 ? 'recommended' : undefined,
      days,
    })),
    { title: 'How long the new API key stays valid', ignoreFocusOut: true },
  );
  return picked?.days;
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

const BROADCAST_CONCURRENCY = 4;

/** One prompt, one new session in each organization; failures are kept as drafts per organization. */
async function sendPromptToAllOrganizations(
  context: CommandContext,
  args: { prompt?: string; confirmed?: boolean } = {},
): Promise<CommandOutcome<{ created: number; failed: number }>> {
  try {
    const organizations = await context.tree.loadOrganizations();
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
              context.tree.addOrUpdateSession(session);
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
