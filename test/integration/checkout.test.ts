import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import type { Session } from '../../src/core/models';
import type { GitExtension } from '../../src/types/git';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { apiClient } from '../sandbox/client';
import { activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/**
 * "Check Out Pull Request Branch" with the built-in Git extension on a real repository: a bare "remote" on
 * disk holds the pull request's branch and `refs/pull/N/head`, and the clone's remote reads as the GitHub
 * URL the session's pull request names (git's `insteadOf` sends the fetch to the disk).
 */

type Outcome = { ok: boolean; cancelled?: boolean; error?: string; branch?: string; stashed?: boolean };

const HEAD_BRANCH = 'devin/1764000000-fix-login';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

suite('Check out pull request', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;
  let root: string;
  let clone: string;
  let withPr: Session;
  let otherRepo: Session;

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ pageSize: 100 });
    api = await activateExtension();
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    await vscode.commands.executeCommand('devin.showArchivedSessions');
    const roots = await api.sessionsTree.getChildren();
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    assert.ok(acme);
    const sessions = (await api.sessionsTree.getChildren(acme)).flatMap((node) =>
      node.kind === 'session' && node.session.pullRequests.length === 1 ? [node.session] : [],
    );
    const repoOf = (session: Session) =>
      /github\.com\/([^/]+\/[^/]+)\/pull/.exec(session.pullRequests[0]?.url ?? '')?.[1];
    withPr = sessions[0] as Session;
    assert.ok(withPr, 'a seeded session with one pull request');
    otherRepo = sessions.find((session) => repoOf(session) !== repoOf(withPr)) as Session;
    assert.ok(otherRepo, 'a seeded session whose pull request is in another repository');
    const repo = repoOf(withPr) as string;
    const prNumber = /\/pull\/(\d+)/.exec(withPr.pullRequests[0]?.url ?? '')?.[1] as string;

    root = fs.mkdtempSync(path.join(os.tmpdir(), 'devin-checkout-'));
    const bare = path.join(root, 'remote.git');
    const seed = path.join(root, 'seed');
    git(root, 'init', '--bare', '--initial-branch=main', bare);
    git(root, 'init', '--initial-branch=main', seed);
    fs.writeFileSync(path.join(seed, 'login.ts'), 'export const retries = 1;\n');
    git(seed, 'add', '.');
    git(seed, 'commit', '-m', 'initial');
    git(seed, 'push', bare, 'main');
    git(seed, 'checkout', '-b', HEAD_BRANCH);
    fs.writeFileSync(path.join(seed, 'login.ts'), 'export const retries = 3;\n');
    git(seed, 'commit', '-am', 'Retry the login three times');
    git(seed, 'push', bare, `${HEAD_BRANCH}:refs/heads/${HEAD_BRANCH}`, `${HEAD_BRANCH}:refs/pull/${prNumber}/head`);

    clone = path.join(root, 'clone');
    git(root, 'clone', bare, clone);
    const githubUrl = `https://github.com/${repo}.git`;
    git(clone, 'remote', 'set-url', 'origin', githubUrl);
    git(clone, 'config', `url.${bare}.insteadOf`, githubUrl);

    const gitExtension = vscode.extensions.getExtension<GitExtension>('vscode.git');
    assert.ok(gitExtension, 'the built-in Git extension is present');
    const gitApi = (await gitExtension.activate()).getAPI(1);
    const opened = await gitApi.openRepository(vscode.Uri.file(clone));
    assert.ok(opened, 'the Git extension opened the clone');
  });

  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('devin')
      .update('showArchived', undefined, vscode.ConfigurationTarget.Workspace);
    await signOut();
    await sandbox.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  setup(() => {
    git(clone, 'checkout', '-q', '-f', 'main');
    if (git(clone, 'branch', '--list', HEAD_BRANCH)) git(clone, 'branch', '-q', '-D', HEAD_BRANCH);
  });

  async function checkout(args: Record<string, unknown>): Promise<Outcome> {
    return (await vscode.commands.executeCommand('devin.checkoutPullRequest', {
      orgId: withPr.orgId,
      sessionId: withPr.id,
      ...args,
    })) as Outcome;
  }

  test('fetches and checks out the head branch as a local branch tracking the remote one', async () => {
    const outcome = await checkout({});
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.branch, HEAD_BRANCH);
    assert.equal(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD'), HEAD_BRANCH);
    assert.equal(git(clone, 'rev-parse', '--abbrev-ref', `${HEAD_BRANCH}@{upstream}`), `origin/${HEAD_BRANCH}`);
    assert.equal(fs.readFileSync(path.join(clone, 'login.ts'), 'utf8'), 'export const retries = 3;\n');
  });

  test('uncommitted changes: cancel leaves everything as it was; stash keeps them and checks out', async () => {
    fs.writeFileSync(path.join(clone, 'login.ts'), 'export const retries = 99; // local edit\n');
    const cancelledOutcome = await checkout({ onDirty: 'cancel' });
    assert.equal(cancelledOutcome.cancelled, true);
    assert.equal(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.match(fs.readFileSync(path.join(clone, 'login.ts'), 'utf8'), /local edit/);

    const stashedOutcome = await checkout({ onDirty: 'stash' });
    assert.equal(stashedOutcome.ok, true, stashedOutcome.error);
    assert.equal(stashedOutcome.stashed, true);
    assert.equal(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD'), HEAD_BRANCH);
    assert.match(git(clone, 'stash', 'list'), /Before checking out/);
    assert.match(git(clone, 'stash', 'show', '-p'), /local edit/, 'the edit is kept in the stash');
    git(clone, 'stash', 'drop');
  });

  test('no open repository for the pull request: says which repository is needed', async () => {
    const outcome = (await vscode.commands.executeCommand('devin.checkoutPullRequest', {
      orgId: otherRepo.orgId,
      sessionId: otherRepo.id,
    })) as Outcome;
    assert.equal(outcome.ok, false);
    const repo = /github\.com\/([^/]+\/[^/]+)\/pull/.exec(otherRepo.pullRequests[0]?.url ?? '')?.[1]?.toLowerCase();
    assert.match(outcome.error ?? '', new RegExp(`No open repository has github\\.com/${repo}`));
    assert.equal(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main', 'nothing was checked out');
  });

  test('"Open Pull Request" opens nothing but https: an http:, file: or vscode: link is refused and said why', async () => {
    const roots = await api.sessionsTree.getChildren();
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    assert.ok(acme);
    const session = (await api.sessionsTree.getChildren(acme)).flatMap((node) =>
      node.kind === 'session' && node.session.pullRequests.length === 0 ? [node.session] : [],
    )[0];
    assert.ok(session, 'a seeded session without a pull request');
    // Links to a repository no open clone has, so the command ends at "Open Pull Request".
    const links = {
      http: 'http://github.com/acme/not-cloned/pull/7',
      file: 'file://fileserver/share/acme/not-cloned/pull/7',
      vscode: 'vscode://GitHub.vscode-pull-request-github/acme/not-cloned/pull/7',
    };
    const control = apiClient(sandbox.baseUrl, undefined);
    for (const url of Object.values(links)) {
      const answer = await control.post(`/_sandbox/sessions/${session.id}/status`, {
        status: 'running',
        status_detail: 'finished',
        pull_request: { url, state: 'open' },
      });
      assert.equal(answer.status, 200, answer.text);
    }
    await vscode.commands.executeCommand('devin.refresh');
    await eventually(async () => {
      const rows = await api.sessionsTree.getChildren(acme);
      return rows.some(
        (node) => node.kind === 'session' && node.session.id === session.id && node.session.pullRequests.length === 3,
      );
    }, 'the session to show its three pull requests');

    for (const [scheme, url] of Object.entries(links)) {
      const outcome = (await vscode.commands.executeCommand('devin.checkoutPullRequest', {
        orgId: session.orgId,
        sessionId: session.id,
        pullRequestUrl: url,
        onNoRepository: 'openPullRequest',
      })) as Outcome & { pullRequestLink?: { opened: boolean; refused?: string } };
      assert.equal(outcome.ok, false);
      assert.match(outcome.error ?? '', /No open repository has/);
      assert.ok(outcome.pullRequestLink, `${scheme}: the link was offered to the https-only opener`);
      assert.equal(outcome.pullRequestLink.opened, false, `${scheme}: nothing was opened`);
      assert.equal(
        outcome.pullRequestLink.refused,
        `The pull request link from Devin was not opened: it uses ${scheme}: instead of https:. Only https:// links are opened.`,
      );
    }
    assert.equal(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main', 'nothing was checked out');
  });
});
