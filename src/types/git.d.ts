/*
 * The part of the built-in Git extension's API (`vscode.git`, API version 1) this extension uses.
 * Copied from microsoft/vscode extensions/git/src/api/git.d.ts (MIT License, Copyright (c) Microsoft
 * Corporation) and cut down; the extension itself is not a dependency, it ships with VS Code.
 */

import type { Event, Uri } from 'vscode';

export interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): API;
}

export type APIState = 'uninitialized' | 'initialized';

export interface API {
  readonly state: APIState;
  readonly onDidChangeState: Event<APIState>;
  readonly repositories: Repository[];
  readonly onDidOpenRepository: Event<Repository>;
  openRepository(root: Uri): Promise<Repository | null>;
}

/** 0 = local branch, 1 = remote branch, 2 = tag. */
export type RefType = 0 | 1 | 2;

export interface Ref {
  readonly type: RefType;
  readonly name?: string;
  readonly commit?: string;
  readonly remote?: string;
}

export interface UpstreamRef {
  readonly remote: string;
  readonly name: string;
}

export interface Branch extends Ref {
  readonly upstream?: UpstreamRef;
  readonly ahead?: number;
  readonly behind?: number;
}

export interface Remote {
  readonly name: string;
  readonly fetchUrl?: string;
  readonly pushUrl?: string;
  readonly isReadOnly: boolean;
}

export interface Change {
  readonly uri: Uri;
}

export interface Commit {
  readonly hash: string;
  readonly message: string;
}

export interface RepositoryState {
  readonly HEAD: Branch | undefined;
  readonly remotes: Remote[];
  readonly mergeChanges: Change[];
  readonly indexChanges: Change[];
  readonly workingTreeChanges: Change[];
  /** Only when `git.untrackedChanges` is `separate`. */
  readonly untrackedChanges?: Change[];
  readonly onDidChange: Event<void>;
}

export interface RefQuery {
  readonly contains?: string;
  readonly count?: number;
  readonly pattern?: string | string[];
  readonly sort?: 'alphabetically' | 'committerdate';
}

export interface FetchOptions {
  remote?: string;
  ref?: string;
  all?: boolean;
  prune?: boolean;
  depth?: number;
}

export interface Repository {
  readonly rootUri: Uri;
  readonly state: RepositoryState;
  status(): Promise<void>;
  getCommit(ref: string): Promise<Commit>;
  getBranch(name: string): Promise<Branch>;
  getRefs(query: RefQuery): Promise<Ref[]>;
  createBranch(name: string, checkout: boolean, ref?: string): Promise<void>;
  setBranchUpstream(name: string, upstream: string): Promise<void>;
  checkout(treeish: string): Promise<void>;
  fetch(options?: FetchOptions): Promise<void>;
  fetch(remote?: string, ref?: string, depth?: number): Promise<void>;
  createStash(options?: { message?: string; includeUntracked?: boolean }): Promise<void>;
}
