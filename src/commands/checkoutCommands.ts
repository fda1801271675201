import * as vscode from 'vscode';
import { isSessionRef, type PullRequest, type Session, type SessionRef } from '../core/models';
import {
  headBranchFor,
  parsePullRequestUrl,
  parseRemoteUrl,
  remoteMatches,
  type PullRequestLocation,
} from '../core/pullRequestRemote';
import { shortPullRequestName } from '../core/sessionPresentation';
import { Command } from '../commandIds';
import type { API as GitApi, GitExtension, Remote, Repository } from '../types/git';
import { pullRequestOfRow } from '../views/nodes';
import type { CommandContext } from '../ui/commandContext';
import { cancelled, errorMessage, type CommandFailure, type CommandOutcome } from '../ui/feedback';
import { openServerUrl, openServerUrlWithOutcome, type ServerUrlOutcome } from '../ui/openExternal';
import { resolveSession } from './sessionTargets';

/**
 * "Check Out Pull Request Branch": brings the branch Devin pushed into the local clone of its repository
 * through the built-in Git extension, so credentials, hooks and the Source Control view all behave as
 * they do for the user's own checkouts.
 */

const PULL_REQUESTS_EXTENSION_ID = 'GitHub.vscode-pull-request-github';

export interface CheckoutArgs extends SessionRef {
  readonly pullRequestUrl?: string;
  /** What to do with uncommitted changes without asking (automation, tests). */
  readonly onDirty?: 'stash' | 'cancel';
  /** When no open repository has the pull request's remote: open the pull request without asking (automation, tests). */
  readonly onNoRepository?: 'openPullRequest';
}

type CheckoutOutcome =
  | CommandOutcome<{ branch: string; repository: string; stashed: boolean }>
  | (CommandFailure & { readonly pullRequestLink: ServerUrlOutcome });

class CheckoutProblem extends Error {}

export function registerCheckoutCommands(context: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.checkoutPullRequest, (target?: unknown) =>
      checkoutPullRequest(context, target),
    ),
  ];
}

async function checkoutPullRequest(context: CommandContext, target: unknown): Promise<CheckoutOutcome> {
  const args = isSessionRef(target) ? (target as CheckoutArgs) : undefined;
  const session = await resolveSession(context, target, vscode.l10n.t('Devin: Check Out Pull Request Branch'));
  if (!session) return cancelled;
  try {
    const pullRequests = session.known?.pullRequests ?? (await sessionFromApi(context, session)).pullRequests;
    const pullRequest =
      pullRequestOfRow(target) ?? (await choosePullRequest(pullRequests, args?.pullRequestUrl, session.label));
    if (!pullRequest) return cancelled;
    const location = parsePullRequestUrl(pullRequest.url);
    if (!location)
      throw new CheckoutProblem(vscode.l10n.t('Cannot tell which repository {0} belongs to.', pullRequest.url));
    const git = await gitApi();
    // A repository opened moments ago may not have read its remotes yet.
    await Promise.all(git.repositories.filter((r) => r.state.remotes.length === 0).map((r) => r.status()));
    const match = findRepository(git, location);
    if (!match) return await noMatchingRepository(context, location, pullRequest, args?.onNoRepository);
    const { repository, remote } = match;
    const repositoryName = vscode.workspace.asRelativePath(repository.rootUri, false);

    await repository.status();
    const changes =
      repository.state.workingTreeChanges.length +
      repository.state.indexChanges.length +
      repository.state.mergeChanges.length +
      (repository.state.untrackedChanges?.length ?? 0);
    let stashed = false;
    if (changes > 0) {
      const choice = args?.onDirty ?? (await askAboutChanges(repositoryName, changes));
      if (choice !== 'stash') return cancelled;
      await repository.createStash({
        message: vscode.l10n.t('Before checking out {0} for Devin', shortPullRequestName(pullRequest.url)),
        includeUntracked: true,
      });
      stashed = true;
    }

    const branch = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Fetching {0}…', shortPullRequestName(pullRequest.url)),
      },
      () => checkOutHead(repository, remote, location),
    );
    const message = stashed
      ? vscode.l10n.t('Checked out {0} in {1} (your changes are in the stash).', branch, repositoryName)
      : vscode.l10n.t('Checked out {0} in {1}.', branch, repositoryName);
    context.log.info(message);
    void offerPullRequestsExtension(message, location);
    return { ok: true, branch, repository: repository.rootUri.fsPath, stashed };
  } catch (error) {
    const message = vscode.l10n.t(
      'Could not check out the pull request of "{0}": {1}',
      session.label,
      error instanceof CheckoutProblem ? error.message : gitErrorMessage(error),
    );
    context.log.error(message);
    void vscode.window
      .showErrorMessage(message, vscode.l10n.t('Show Log'))
      .then((choice) => choice && context.log.show(true));
    return { ok: false, error: message };
  }
}

async function sessionFromApi(context: CommandContext, session: SessionRef): Promise<Session> {
  return context.account.getClient().getSession(session.orgId, session.sessionId);
}

async function choosePullRequest(
  pullRequests: readonly PullRequest[],
  wantedUrl: string | undefined,
  label: string,
): Promise<PullRequest | undefined> {
  if (wantedUrl) {
    const found = pullRequests.find((pr) => pr.url === wantedUrl);
    if (!found) throw new CheckoutProblem(vscode.l10n.t('"{0}" has no pull request {1}.', label, wantedUrl));
    return found;
  }
  if (pullRequests.length === 0) throw new CheckoutProblem(vscode.l10n.t('"{0}" has no pull request yet.', label));
  if (pullRequests.length === 1) return pullRequests[0];
  return (
    await vscode.window.showQuickPick(
      pullRequests.map((pr) => ({ label: shortPullRequestName(pr.url), description: pr.state, pr })),
      { title: vscode.l10n.t('Check out which pull request?') },
    )
  )?.pr;
}

async function gitApi(): Promise<GitApi> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension)
    throw new CheckoutProblem(vscode.l10n.t('the built-in Git extension is not available in this window.'));
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports.enabled) throw new CheckoutProblem(vscode.l10n.t('Git is turned off (the git.enabled setting).'));
  const api = exports.getAPI(1);
  if (api.state !== 'initialized')
    await new Promise<void>((resolve) => {
      const listener = api.onDidChangeState((state) => {
        if (state !== 'initialized') return;
        listener.dispose();
        resolve();
      });
    });
  return api;
}

/** The open repository with a remote for the pull request's repository; the same host wins over an SSH alias. */
function findRepository(
  git: GitApi,
  location: PullRequestLocation,
): { repository: Repository; remote: Remote } | undefined {
  let pathOnly: { repository: Repository; remote: Remote } | undefined;
  for (const repository of git.repositories)
    for (const remote of repository.state.remotes) {
      const slug = parseRemoteUrl(remote.fetchUrl ?? remote.pushUrl ?? '');
      const quality = slug && remoteMatches(slug, location);
      if (quality === 'exact') return { repository, remote };
      if (quality === 'pathOnly') pathOnly ??= { repository, remote };
    }
  return pathOnly;
}

async function noMatchingRepository(
  context: CommandContext,
  location: PullRequestLocation,
  pullRequest: PullRequest,
  choice: CheckoutArgs['onNoRepository'],
): Promise<CheckoutOutcome> {
  const needed = `${location.host}/${location.path}`;
  const message = vscode.l10n.t(
    'No open repository has {0} as a remote. Open a clone of {0} in this window (or add it as a remote) to check out {1}.',
    needed,
    shortPullRequestName(pullRequest.url),
  );
  context.log.warn(message);
  // The pull request's address comes from the server: it opens only if it is https (the helper says why not).
  if (choice === 'openPullRequest')
    return {
      ok: false,
      error: message,
      pullRequestLink: await openServerUrlWithOutcome(pullRequest.url, 'pullRequest'),
    };
  const openPullRequest = vscode.l10n.t('Open Pull Request');
  const openInExtension = vscode.l10n.t('Open in GitHub Pull Requests');
  const actions = [openPullRequest, ...(hasPullRequestsExtension() ? [openInExtension] : [])];
  void vscode.window.showWarningMessage(message, ...actions).then((picked) => {
    if (picked === openPullRequest) void openServerUrl(pullRequest.url, 'pullRequest');
    if (picked === openInExtension) void openInPullRequestsExtension(location);
  });
  return { ok: false, error: message };
}

async function askAboutChanges(repositoryName: string, changes: number): Promise<'stash' | undefined> {
  const stash = vscode.l10n.t('Stash Changes and Check Out');
  const choice = await vscode.window.showWarningMessage(
    changes === 1
      ? vscode.l10n.t('{0} has 1 uncommitted change.', repositoryName)
      : vscode.l10n.t('{0} has {1} uncommitted changes.', repositoryName, changes),
    {
      modal: true,
      detail: vscode.l10n.t(
        'Stash them (with untracked files) and check out the pull request branch? "git stash pop" brings them back.',
      ),
    },
    stash,
  );
  return choice === stash ? 'stash' : undefined;
}

/**
 * Fetches the remote's branches and the pull request's head (`refs/pull/N/head`), finds the branch at that
 * commit, and checks it out as a local branch tracking the remote one (reusing a local branch of that name).
 */
async function checkOutHead(repository: Repository, remote: Remote, location: PullRequestLocation): Promise<string> {
  await repository.fetch(remote.name);
  try {
    await repository.fetch(remote.name, `refs/pull/${location.number}/head`);
  } catch (error) {
    throw new CheckoutProblem(
      vscode.l10n.t(
        '{0} has no pull request #{1} ({2}). Fetch it by hand, or check that the remote is {3}.',
        remote.name,
        location.number,
        gitErrorMessage(error),
        `${location.host}/${location.path}`,
      ),
    );
  }
  const head = await repository.getCommit('FETCH_HEAD');
  const prefix = `${remote.name}/`;
  const remoteBranches = (await repository.getRefs({ pattern: `refs/remotes/${remote.name}/` })).flatMap((ref) =>
    ref.name?.startsWith(prefix) ? [{ name: ref.name.slice(prefix.length), commit: ref.commit }] : [],
  );
  const branch = headBranchFor(head.hash, remoteBranches);
  if (!branch) {
    // The head lives in a fork: no branch of this remote to track, so the commit gets a branch of its own.
    const local = `pr/${location.number}`;
    if (await localBranchExists(repository, local)) await repository.checkout(local);
    else await repository.createBranch(local, true, head.hash);
    return local;
  }
  if (await localBranchExists(repository, branch)) {
    await repository.checkout(branch);
  } else {
    await repository.createBranch(branch, true, `${remote.name}/${branch}`);
    await repository.setBranchUpstream(branch, `${remote.name}/${branch}`);
  }
  return branch;
}

async function localBranchExists(repository: Repository, name: string): Promise<boolean> {
  try {
    const branch = await repository.getBranch(name);
    return branch.type === 0;
  } catch {
    return false;
  }
}

function hasPullRequestsExtension(): boolean {
  return vscode.extensions.getExtension(PULL_REQUESTS_EXTENSION_ID) !== undefined;
}

async function offerPullRequestsExtension(message: string, location: PullRequestLocation): Promise<void> {
  const open = vscode.l10n.t('Open in GitHub Pull Requests');
  const choice = await vscode.window.showInformationMessage(message, ...(hasPullRequestsExtension() ? [open] : []));
  if (choice === open) await openInPullRequestsExtension(location);
}

/**
 * The GitHub Pull Requests extension opens a pull request's overview from its own URI handler. The link is made
 * here (this editor's scheme, that extension's id); only the owner, repository and number come from the server.
 */
async function openInPullRequestsExtension(location: PullRequestLocation): Promise<void> {
  const [owner, repo] = location.path.split('/');
  const uri = vscode.Uri.from({
    scheme: vscode.env.uriScheme,
    authority: PULL_REQUESTS_EXTENSION_ID,
    path: '/open-pull-request-webview',
    query: JSON.stringify({ owner, repo, pullRequestNumber: location.number }),
  });
  await vscode.env.openExternal(await vscode.env.asExternalUri(uri));
}

/** Git's own words (its stderr) say more than the extension's generic "Failed to execute git". */
function gitErrorMessage(error: unknown): string {
  const stderr = (error as { stderr?: unknown } | undefined)?.stderr;
  if (typeof stderr === 'string' && stderr.trim()) return stderr.trim().split('\n').slice(-2).join(' ');
  return errorMessage(error);
}
