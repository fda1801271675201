import type { DraftStore } from '../core/drafts';

/**
 * What a flow needs from whoever runs it, instead of `vscode`: the extension implements it over the window
 * (src/ui/vscodeUi.ts), tests over plain objects and a fake clock.
 */
export interface Ui {
  /**
   * Runs `task` while the user is shown `title`. `signal` aborts when the user cancels (only when
   * `cancellable`); `report` adds a line such as "uploading notes.md", and fills the bar by `increment` percent
   * when given. `quiet` shows it in the status bar instead of a notification, for a short wait the user did not
   * start from a dialog.
   */
  progress<T>(
    options: { readonly title: string; readonly cancellable?: boolean; readonly quiet?: boolean },
    task: (report: (message: string, increment?: number) => void, signal: AbortSignal) => Promise<T>,
  ): Promise<T>;
  /** Where text that did not reach Devin is kept, and found again for a retry. */
  readonly drafts: DraftStore;
  /** Milliseconds since the epoch; a fake clock in tests. */
  now(): number;
  /** A file the user chose to attach. */
  readFile(path: string): Promise<Uint8Array>;
}
