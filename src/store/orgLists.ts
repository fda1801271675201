import { Emitter } from './emitter';

/**
 * One kind of organization resource (schedules, Knowledge notes) loaded per organization only when
 * someone asks, kept until it is dropped (a change made here, Refresh, sign-in or sign-out), and
 * shared by concurrent askers so a redraw never sends a second request.
 */

export type OrgListState<T> =
  | { readonly status: 'loaded'; readonly items: readonly T[] }
  | { readonly status: 'failed'; readonly message: string; readonly error: unknown };

export class OrgLists<T> {
  private readonly states = new Map<string, OrgListState<T>>();
  private readonly loads = new Map<string, Promise<OrgListState<T>>>();
  private readonly changed = new Emitter<string | undefined>();
  /** An organization's list was dropped (its id), or every list was (undefined). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly fetch: (orgId: string) => Promise<readonly T[]>) {}

  /** What is loaded for the organization, if anything. */
  state(orgId: string): OrgListState<T> | undefined {
    return this.states.get(orgId);
  }

  /** The organization's list, loading it first unless it is loaded (or loading) already. Never rejects. */
  load(orgId: string): Promise<OrgListState<T>> {
    const known = this.states.get(orgId);
    if (known) return Promise.resolve(known);
    let pending = this.loads.get(orgId);
    if (!pending) {
      const started: Promise<OrgListState<T>> = this.fetch(orgId).then(
        (items): OrgListState<T> => ({ status: 'loaded', items }),
        (error: unknown): OrgListState<T> => ({
          status: 'failed',
          message: error instanceof Error ? error.message : String(error),
          error,
        }),
      );
      pending = started.then((state) => {
        // Dropped while loading: the answer may predate the change, so it is not kept.
        if (this.loads.get(orgId) !== pending) return state;
        this.loads.delete(orgId);
        this.states.set(orgId, state);
        return state;
      });
      this.loads.set(orgId, pending);
    }
    return pending;
  }

  /** Drops the organization's list (or all of them) so the next `load` asks Devin again. */
  invalidate(orgId?: string): void {
    if (orgId === undefined) {
      this.states.clear();
      this.loads.clear();
    } else {
      this.states.delete(orgId);
      this.loads.delete(orgId);
    }
    this.changed.fire(orgId);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
