/**
 * Which local clone a pull request belongs to: its URL names a repository (`host/owner/repo`), and a
 * git remote names one too, in any of the forms git accepts. Free of `vscode` for plain-Node tests.
 */

export interface RepositorySlug {
  readonly host: string;
  /** `owner/repo` (GitLab-style groups keep every segment), lower case, without `.git`. */
  readonly path: string;
}

export interface PullRequestLocation extends RepositorySlug {
  readonly number: number;
}

/** `https://github.com/acme/api/pull/42` (GitHub) or `https://gitlab.com/g/p/-/merge_requests/7`. */
export function parsePullRequestUrl(url: string): PullRequestLocation | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const match = /^\/(.+?)\/(?:-\/)?(?:pull|pulls|merge_requests)\/(\d+)(?:\/.*)?$/.exec(parsed.pathname);
  if (!match?.[1] || !match[2]) return undefined;
  return { host: parsed.hostname.toLowerCase(), path: normalizePath(match[1]), number: Number(match[2]) };
}

/** Reads `https://host/o/r.git`, `git@host:o/r.git`, `ssh://git@host:22/o/r` and the like; local paths have no host. */
export function parseRemoteUrl(remote: string): RepositorySlug | undefined {
  const text = remote.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      return url.hostname ? { host: url.hostname.toLowerCase(), path: normalizePath(url.pathname) } : undefined;
    } catch {
      return undefined;
    }
  }
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]{2,}):(.+)$/.exec(text);
  return scpLike?.[1] && scpLike[2] ? { host: scpLike[1].toLowerCase(), path: normalizePath(scpLike[2]) } : undefined;
}

/** Same repository: the paths agree and so do the hosts (an SSH alias host still matches on the path alone). */
export function remoteMatches(remote: RepositorySlug, wanted: RepositorySlug): 'exact' | 'pathOnly' | undefined {
  if (remote.path !== wanted.path) return undefined;
  return remote.host === wanted.host ? 'exact' : 'pathOnly';
}

/**
 * The branch a pull request's head points at: among the remote's branches at the head commit, the one
 * Devin most likely pushed (its branches start with `devin/`), else the only one.
 */
export function headBranchFor(
  headCommit: string,
  remoteBranches: ReadonlyArray<{ readonly name: string; readonly commit: string | undefined }>,
): string | undefined {
  const candidates = remoteBranches
    .filter((branch) => branch.commit === headCommit && branch.name !== 'HEAD')
    .map((branch) => branch.name);
  return candidates.find((name) => name.startsWith('devin/')) ?? (candidates.length === 1 ? candidates[0] : undefined);
}

function normalizePath(path: string): string {
  return path
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/i, '')
    .toLowerCase();
}
