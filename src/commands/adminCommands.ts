import * as vscode from 'vscode';
import { createOrganization as createOrganizationAction } from '../actions/organizations';
import { createServiceUser as createServiceUserAction } from '../actions/serviceUsers';
import {
  BUILT_IN_ORG_ROLES,
  listAssignableRoles,
  MAX_SERVICE_USER_TTL_SECONDS,
  SERVICE_USER_TTL_DAYS,
} from '../api/serviceUsers';
import { clearClipboardLater, TOKEN_CLIPBOARD_MS } from '../core/clipboardExpiry';
import type { Organization } from '../core/models';
import { sendKey } from '../core/sendGuard';
import type { ReadonlyDocuments } from '../views/readonlyDocuments';
import { describeIdentity } from './authCommands';
import { sendPromptToAllOrganizations } from './broadcastCommand';
import { optionsFrom, pickOrganization, type CommandContext } from '../ui/commandContext';
import {
  alreadySending,
  cancelled,
  errorMessage,
  reportError,
  reportWithRetry,
  type CommandOutcome,
} from '../ui/feedback';
import { Command } from '../commandIds';
import { refuseWithoutPermission } from '../ui/permissionGate';
import { vscodeUi } from '../ui/vscodeUi';
import { pickWithDefault } from '../ui/pickWithDefault';

/**
 * The API's administrative workflows: who the token is, new organizations and service users, and one
 * prompt sent to every organization. The audit log has its own file.
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
    vscode.commands.registerCommand(
      Command.sendPromptToAllOrganizations,
      (args?: { prompt?: string; confirmed?: boolean }) => sendPromptToAllOrganizations(context, documents, args),
    ),
  ];
}

async function showIdentity(context: CommandContext): Promise<CommandOutcome<{ name: string }>> {
  try {
    const identity = await context.account.getIdentity();
    const copy = identity.id ? vscode.l10n.t('Copy ID') : undefined;
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t('Devin: signed in as {0}.', describeIdentity(identity)),
        ...(copy ? [copy] : []),
      )
      .then((choice) => {
        if (choice && identity.id) void vscode.env.clipboard.writeText(identity.id);
      });
    return { ok: true, name: identity.name };
  } catch (error) {
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not read your Devin identity'), error) };
  }
}

async function createOrganization(
  context: CommandContext,
  args: OrganizationArgs = {},
): Promise<CommandOutcome<{ orgId?: string; found?: boolean }>> {
  const refused = await refuseWithoutPermission(context, 'manageOrganizations');
  if (refused) return refused;
  const title = vscode.l10n.t('Devin: New Organization');
  const name =
    args.name ??
    (await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('Name of the new organization'),
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('A name is required.')),
    }));
  if (!name?.trim()) return cancelled;
  let cycleLimit = args.maxCycleAcuLimit;
  let sessionLimit = args.maxSessionAcuLimit;
  if (args.name === undefined) {
    const cycle = await askAcuLimit(
      title,
      vscode.l10n.t(
        'Monthly ACU limit: most ACUs the organization may use per billing cycle (optional; leave empty for none)',
      ),
    );
    if (cycle === null) return cancelled;
    const session = await askAcuLimit(
      title,
      vscode.l10n.t('Per-session ACU limit: most ACUs one session may use (optional; leave empty for none)'),
    );
    if (session === null) return cancelled;
    [cycleLimit, sessionLimit] = [cycle, session];
  }
  const request = {
    name: name.trim(),
    maxCycleAcuLimit: cycleLimit,
    maxSessionAcuLimit: sessionLimit,
    uncertainSince: args.uncertainSince,
  };
  return context.sendGuard.run(
    sendKey('organization', request.name),
    () => createOrganizationOnce(context, request),
    () =>
      alreadySending(vscode.l10n.t('Already sending organization {0} to Devin. Wait for it to finish.', request.name)),
  );
}

/** A whole number of ACUs, undefined for "no limit", or null when the user cancels. */
async function askAcuLimit(title: string, prompt: string): Promise<number | undefined | null> {
  const typed = await vscode.window.showInputBox({
    title,
    prompt,
    ignoreFocusOut: true,
    validateInput: (value) =>
      value.trim() === '' || /^\d+$/.test(value.trim())
        ? undefined
        : vscode.l10n.t('A whole number of ACUs, or empty.'),
  });
  if (typed === undefined) return null;
  return typed.trim() ? Number(typed.trim()) : undefined;
}

async function createOrganizationOnce(
  context: CommandContext,
  request: OrganizationArgs & { name: string },
): Promise<CommandOutcome<{ orgId?: string; found?: boolean }>> {
  const { name } = request;
  const outcome = await createOrganizationAction(
    { client: context.account.getClient(), ui: vscodeUi(context.drafts) },
    request,
    request,
  );
  switch (outcome.kind) {
    case 'found':
      context.store.refresh();
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Devin organization {0} ({1}) already exists: the earlier attempt created it.',
          outcome.value.name,
          outcome.value.id,
        ),
      );
      return { ok: true, orgId: outcome.value.id, found: true };
    case 'created':
      context.store.refresh();
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Devin organization created: {0} ({1}).', outcome.value.name, outcome.value.id),
      );
      return { ok: true, orgId: outcome.value.id };
    case 'createdButUnreadable': {
      context.store.refresh();
      const found = outcome.value;
      void vscode.window.showInformationMessage(
        found
          ? vscode.l10n.t(
              'Devin organization {0} was created ({1}), but its answer could not be read. The list has been refreshed.',
              name,
              found.id,
            )
          : vscode.l10n.t(
              'Devin organization {0} was created, but its answer could not be read. The list has been refreshed.',
              name,
            ),
      );
      return { ok: true, orgId: found?.id };
    }
    case 'cancelled':
      return cancelled;
    case 'failed': {
      // Retry sends what was typed again rather than asking for it anew, and first looks for what may exist.
      const retry: OrganizationArgs = {
        name,
        maxCycleAcuLimit: request.maxCycleAcuLimit,
        maxSessionAcuLimit: request.maxSessionAcuLimit,
        uncertainSince: outcome.uncertainSince,
      };
      const prefix = outcome.outcomeUnknown
        ? vscode.l10n.t('Organization {0} may have been created (Retry looks for it before creating another)', name)
        : vscode.l10n.t('Could not create the organization');
      return reportWithRetry(
        context.log,
        prefix,
        outcome.error,
        outcome.outcomeUnknown,
        Command.createOrganization,
        retry,
      );
    }
  }
}

interface OrganizationArgs {
  readonly name?: string;
  readonly maxCycleAcuLimit?: number;
  readonly maxSessionAcuLimit?: number;
  /** Set by Retry after an answer was lost: when the earlier attempt was sent. */
  readonly uncertainSince?: number;
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
  /** With `offerToken`: what to do with the new token without asking (automation, tests). */
  readonly tokenChoice?: 'copy' | 'signIn';
  /** How long a copied token stays on the clipboard; tests use a short time instead of the minute. */
  readonly clipboardClearMs?: number;
  /** Set by Retry after an answer was lost: look for the service user before creating one. */
  readonly uncertainSince?: number;
}

async function createServiceUser(context: CommandContext, args: ServiceUserArgs = {}): Promise<ServiceUserOutcome> {
  const refused = await refuseWithoutPermission(context, 'manageServiceUsers');
  if (refused) return refused;
  // What the user has chosen so far, so a failure's Retry does not ask again.
  const chosen: { -readonly [K in keyof ServiceUserArgs]: ServiceUserArgs[K] } = {
    ...args,
    offerToken: args.offerToken ?? args.name === undefined,
  };
  try {
    const organization = await pickOrganization(context, vscode.l10n.t('Devin: New Service User'), args.orgId);
    if (!organization) return cancelled;
    chosen.orgId = organization.id;
    // Every step names the command, the organization and how far along it is, like New Session's options.
    const step = (n: number) =>
      vscode.l10n.t({
        message: 'Devin: New Service User in {0} ({1}/3)',
        args: [organization.name, n],
        comment: ['{1} is the step of the flow, out of 3'],
      });
    const name =
      args.name ??
      (await vscode.window.showInputBox({
        title: step(1),
        prompt: vscode.l10n.t('Name, e.g. ci-bot'),
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('A name is required.')),
      }));
    if (!name?.trim()) return cancelled;
    chosen.name = name.trim();
    const givenRoleId = args.roleId ?? (args.role !== undefined ? roleIdForName(args.role) : undefined);
    const role = givenRoleId
      ? { id: givenRoleId, name: args.roleName }
      : await pickRole(context, organization.id, step(2));
    if (!role) return cancelled;
    chosen.roleId = role.id;
    chosen.roleName = role.name;
    // A caller that names the service user (Retry, other extensions) gets the longest lifetime unless it says otherwise.
    const ttlDays = args.ttlDays ?? (args.name !== undefined ? DEFAULT_TTL_DAYS : await pickTtlDays(step(3)));
    if (ttlDays === undefined) return cancelled;
    const ttlSeconds = Math.round(ttlDays * 86_400);
    if (!(ttlSeconds >= 1 && ttlSeconds <= MAX_SERVICE_USER_TTL_SECONDS))
      throw new Error(vscode.l10n.t('A key lifetime must be between 1 and 365 days; {0} days was asked for.', ttlDays));
    chosen.ttlDays = ttlDays;
    const request = {
      organization,
      name: name.trim(),
      role,
      ttlSeconds,
      offerToken: chosen.offerToken,
      tokenChoice: args.tokenChoice,
      clipboardClearMs: args.clipboardClearMs,
    };
    return await context.sendGuard.run(
      sendKey('serviceUser', organization.id, request.name),
      () => createServiceUserOnce(context, request, chosen),
      () =>
        alreadySending(
          vscode.l10n.t('Already sending service user {0} to Devin. Wait for it to finish.', request.name),
        ),
    );
  } catch (error) {
    return {
      ok: false,
      error: reportError(context.log, vscode.l10n.t('Could not create the service user'), error, [
        { title: vscode.l10n.t('Retry'), run: () => vscode.commands.executeCommand(Command.createServiceUser, chosen) },
      ]),
    };
  }
}

async function createServiceUserOnce(
  context: CommandContext,
  request: {
    organization: Organization;
    name: string;
    role: { id: string; name?: string };
    ttlSeconds: number;
    offerToken: boolean | undefined;
    tokenChoice?: 'copy' | 'signIn';
    clipboardClearMs?: number;
  },
  chosen: ServiceUserArgs,
): Promise<ServiceUserOutcome> {
  const { organization, name, role, ttlSeconds } = request;
  const outcome = await createServiceUserAction(
    {
      client: context.account.getClient(),
      ui: vscodeUi(context.drafts),
      lookFailed: (error) =>
        context.log.info(`Could not look for service user ${name} before the retry: ${errorMessage(error)}`),
    },
    { orgId: organization.id, name: organization.name },
    { name, roleId: role.id, roleName: role.name, ttlSeconds },
    chosen,
  );
  switch (outcome.kind) {
    case 'found': {
      const message = vscode.l10n.t(
        'Service user {0} already exists in {1}: the earlier attempt created it, and its one-time API token was in the lost answer. {2}',
        name,
        organization.name,
        newTokenAdvice(),
      );
      return tokenLost(context, message, outcome.value.id);
    }
    case 'created': {
      const created = outcome.value;
      context.log.info(`Created service user ${created.id} in ${organization.id}.`);
      // The token is shown by the API once; it goes to the clipboard or straight into sign-in, never to a log.
      if (!request.offerToken) return { ok: true, serviceUserId: created.id };
      const offered = offerNewToken(created.name, created.token, request.tokenChoice, request.clipboardClearMs);
      // A question nobody answers must not hold up the command; an answer given in advance is reported back.
      if (!request.tokenChoice) {
        void offered;
        return { ok: true, serviceUserId: created.id };
      }
      return { ok: true, serviceUserId: created.id, tokenNotice: await offered };
    }
    case 'createdButUnreadable': {
      const message = vscode.l10n.t(
        "Service user {0} was created in {1}, but Devin's answer could not be read, so its one-time API token is lost. {2}",
        name,
        organization.name,
        newTokenAdvice(),
      );
      return tokenLost(context, message);
    }
    case 'cancelled':
      return cancelled;
    case 'failed': {
      if (!outcome.outcomeUnknown) throw outcome.error;
      // Retry looks for it first where the token can list service users (enterprise tokens); an
      // organization-scoped token cannot, so the message asks the user to check in the web app too.
      const retry = { ...chosen, uncertainSince: outcome.uncertainSince };
      return reportWithRetry(
        context.log,
        vscode.l10n.t(
          "Service user {0} may have been created in {1}; if it was, its one-time API token was in the lost answer. Retry looks for it before creating one; with a token that cannot list service users, check the organization's service users in the Devin web app first. {2}",
          name,
          organization.name,
          newTokenAdvice(),
        ),
        outcome.error,
        true,
        Command.createServiceUser,
        retry,
      );
    }
  }
}

function newTokenAdvice(): string {
  return vscode.l10n.t(
    'To use it, create a new API key for it in the Devin web app (organization settings, Service users), or delete it and create a new one.',
  );
}

type ServiceUserOutcome = CommandOutcome<{ serviceUserId?: string; tokenLost?: boolean; tokenNotice?: string }>;

/** The service user exists but its one-time token is gone: a success, said as a warning with what to do. */
function tokenLost(context: CommandContext, message: string, serviceUserId?: string): ServiceUserOutcome {
  context.log.warn(message);
  void vscode.window.showWarningMessage(message);
  return { ok: true, serviceUserId, tokenLost: true };
}

/** The organization's real roles, so the request carries a `role_id` the API knows. */
async function pickRole(
  context: CommandContext,
  orgId: string,
  title: string,
): Promise<{ id: string; name?: string } | undefined> {
  const { roles, source } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading Devin roles…') },
    () => listAssignableRoles(context.account.getClient(), orgId),
  );
  const other = {
    label: `$(edit) ${vscode.l10n.t('Another role ID…')}`,
    description: vscode.l10n.t('For a custom role'),
    role: undefined,
  };
  const items = [...roles.map((role) => ({ label: role.name, description: role.id, role })), other];
  // Enter takes the built-in Member role: a service user should start with the fewest permissions.
  const picked = await pickWithDefault(
    items,
    {
      title,
      placeholder:
        source === 'builtIn'
          ? vscode.l10n.t(
              'Role of the service user (your token cannot list roles; these are the roles every organization has)',
            )
          : vscode.l10n.t('Role of the service user (it cannot hold more permissions than your own role)'),
      matchOnDescription: true,
    },
    (item) => item.role?.id === LEAST_PRIVILEGED_ROLE_ID,
  );
  if (!picked) return undefined;
  if (picked.role) return { id: picked.role.id, name: picked.role.name };
  const typed = (
    await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Role ID'), ignoreFocusOut: true })
  )?.trim();
  return typed ? { id: typed } : undefined;
}

const DEFAULT_TTL_DAYS = 365;
/** Offered first in the lifetime picker: long enough to be useful, short enough that a leaked key expires. */
const RECOMMENDED_TTL_DAYS = 90;
/** The built-in role with the fewest permissions, where the organization's roles include it. */
const LEAST_PRIVILEGED_ROLE_ID = 'org_member';

/** The specification names the built-in roles `admin` and `member`; the current API wants their ids. */
function roleIdForName(role: string): string {
  const builtIn = BUILT_IN_ORG_ROLES.find((candidate) => candidate.name.toLowerCase() === role.trim().toLowerCase());
  return builtIn?.id ?? role;
}

async function pickTtlDays(title: string): Promise<number | undefined> {
  const picked = await pickWithDefault(
    SERVICE_USER_TTL_DAYS.map((days) => ({
      label: days === 365 ? vscode.l10n.t('1 year') : vscode.l10n.t('{0} days', days),
      description: days === RECOMMENDED_TTL_DAYS ? vscode.l10n.t('recommended') : undefined,
      days,
    })),
    { title, placeholder: vscode.l10n.t('How long the new API key stays valid') },
    (item) => item.days === RECOMMENDED_TTL_DAYS,
  );
  return picked?.days;
}

/** Answers what the user was told about a copied token, or undefined when it was not copied. */
async function offerNewToken(
  name: string,
  token: string,
  answer: 'copy' | 'signIn' | undefined,
  clipboardClearMs = TOKEN_CLIPBOARD_MS,
): Promise<string | undefined> {
  const copy = vscode.l10n.t('Copy Token');
  const signIn = vscode.l10n.t('Sign In with It');
  const choice =
    answer !== undefined
      ? { copy, signIn }[answer]
      : await vscode.window.showInformationMessage(
          vscode.l10n.t(
            'Service user {0} was created. Devin shows its API token only once: copy it now or sign in with it.',
            name,
          ),
          { modal: true },
          copy,
          signIn,
        );
  if (choice === signIn) await vscode.commands.executeCommand(Command.signIn, { token });
  if (choice !== copy) return undefined;
  await vscode.env.clipboard.writeText(token);
  clearClipboardLater(vscode.env.clipboard, token, clipboardClearMs);
  const seconds = Math.max(1, Math.round(clipboardClearMs / 1000));
  const notice = vscode.l10n.t(
    'Token copied. The token will be cleared from the clipboard in {0} seconds; paste it where it belongs before then.',
    seconds,
  );
  void vscode.window.showInformationMessage(notice);
  return notice;
}
