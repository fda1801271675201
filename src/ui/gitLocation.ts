import * as vscode from 'vscode';
import type { GitLocation } from '../core/selectionPrompt';

/**
 * The remote, branch and commit of the file's repository, from the built-in git extension when it is
 * present and active. Only the few members used here are typed; the git API is not a dependency.
 */

interface GitRepositoryLike {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly HEAD?: { readonly name?: string; readonly commit?: string };
    readonly remotes: ReadonlyArray<{ readonly name: string; readonly fetchUrl?: string; readonly pushUrl?: string }>;
  };
}

interface GitApiLike {
  getRepository(uri: vscode.Uri): GitRepositoryLike | null;
}

export function findGitLocation(uri: vscode.Uri): GitLocation | undefined {
  try {
    const extension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApiLike }>('vscode.git');
    if (!extension?.isActive) return undefined;
    const repository = extension.exports.getAPI(1).getRepository(uri);
    if (!repository) return undefined;
    const remote =
      repository.state.remotes.find((candidate) => candidate.name === 'origin') ?? repository.state.remotes[0];
    return {
      remoteUrl: remote?.fetchUrl ?? remote?.pushUrl,
      branch: repository.state.HEAD?.name,
      commit: repository.state.HEAD?.commit,
    };
  } catch {
    // Git context is a nicety; a broken git extension must not stop the session from being created.
    return undefined;
  }
}
