import * as vscode from 'vscode';

/**
 * `showQuickPick` with the row Enter picks chosen by the caller rather than the first one, for choices where
 * the first row is not the safe one (a role with the fewest permissions, a key lifetime that is not the longest).
 */
export function pickWithDefault<T extends vscode.QuickPickItem>(
  items: readonly T[],
  options: { title: string; placeholder: string; matchOnDescription?: boolean },
  isDefault: (item: T) => boolean,
): Promise<T | undefined> {
  return new Promise((resolve) => {
    const picker = vscode.window.createQuickPick<T>();
    picker.title = options.title;
    picker.placeholder = options.placeholder;
    picker.matchOnDescription = options.matchOnDescription ?? false;
    picker.ignoreFocusOut = true;
    picker.items = items;
    const preferred = items.find(isDefault);
    if (preferred) picker.activeItems = [preferred];
    let picked: T | undefined;
    picker.onDidAccept(() => {
      picked = picker.selectedItems[0] ?? picker.activeItems[0];
      picker.hide();
    });
    picker.onDidHide(() => {
      picker.dispose();
      resolve(picked);
    });
    picker.show();
  });
}
