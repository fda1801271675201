import * as vscode from 'vscode';
import type { Ui } from '../actions/ui';
import type { DraftStore } from '../core/drafts';

/** The actions' Ui over the VS Code window: notifications, progress, the workspace's drafts and files. */
export function vscodeUi(drafts: DraftStore): Ui {
  return {
    progress: async (options, task) =>
      await vscode.window.withProgress(
        {
          location: options.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
          title: options.title,
          cancellable: options.cancellable,
        },
        (progress, cancellation) => {
          const controller = new AbortController();
          cancellation.onCancellationRequested(() => controller.abort());
          return task((message, increment) => progress.report({ message, increment }), controller.signal);
        },
      ),
    drafts,
    now: () => Date.now(),
    readFile: async (file) => vscode.workspace.fs.readFile(vscode.Uri.file(file)),
  };
}
