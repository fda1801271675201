import * as vscode from 'vscode';
import { fetchCycleBudget } from '../api/cycleBudget';
import { isDevinApiError } from '../api/errors';
import { errorMessage } from '../actions/errorText';
import type { DevinAccount } from '../auth/account';
import type { TokenPermissions } from '../auth/permissions';
import { Command } from '../commandIds';
import { summarizeCycle } from '../core/cycleBudget';

const SETTING = 'devin.showCycleUsage';
/** Consumption changes slowly and each reading costs three calls. */
const REFRESH_MS = 15 * 60_000;

/**
 * An opt-in status bar item (`devin.showCycleUsage`) with the share of the enterprise's ACU limit used in
 * the current billing cycle; clicking it opens the consumption panel. Hidden when the setting is off, when
 * signed out, and when the token cannot read billing.
 */
export class CycleUsageStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('devin.cycleUsage', vscode.StatusBarAlignment.Left, 49);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private shown = false;

  constructor(
    private readonly account: DevinAccount,
    private readonly permissions: TokenPermissions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.item.name = vscode.l10n.t('Devin: ACUs Used This Billing Cycle');
    this.item.command = Command.showConsumption;
    this.subscriptions.push(
      account.onDidChange(() => void this.update()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SETTING)) void this.update();
      }),
    );
    if (enabled()) void this.update();
  }

  /** Reads the cycle again and redraws; also what tests call. */
  async update(): Promise<{ visible: boolean; text: string; tooltip: string }> {
    const generation = ++this.generation;
    clearTimeout(this.timer);
    const show = await this.shouldShow();
    if (!show) {
      if (generation === this.generation) this.setVisible(false);
      return this.state();
    }
    try {
      const budget = await fetchCycleBudget(this.account.getClient());
      if (generation !== this.generation) return this.state();
      if (!budget) {
        this.setVisible(false);
        return this.state();
      }
      const summary = summarizeCycle(budget, Math.floor(Date.now() / 1000));
      this.item.text =
        summary.percent === undefined
          ? `$(pulse) ${vscode.l10n.t('{0} ACUs', Math.round(budget.usedAcus))}`
          : `$(pulse) ${Math.floor(summary.percent)}%`;
      this.item.tooltip = vscode.l10n.t('Devin: {0}. Click for the consumption panel.', summary.text);
      this.item.backgroundColor =
        summary.level === 'over'
          ? new vscode.ThemeColor('statusBarItem.errorBackground')
          : summary.level === 'warning'
            ? new vscode.ThemeColor('statusBarItem.warningBackground')
            : undefined;
      this.setVisible(true);
    } catch (error) {
      if (generation !== this.generation) return this.state();
      this.log.warn(`Could not read the billing cycle: ${errorMessage(error)}`);
      if (isDevinApiError(error) && ['forbidden', 'unauthorized', 'signedOut'].includes(error.kind)) {
        this.setVisible(false);
        return this.state();
      }
      // A passing failure (network, 5xx) keeps the last reading on screen, marked as stale, rather than flickering away.
      this.item.tooltip = vscode.l10n.t('Devin: the billing cycle could not be read ({0}).', errorMessage(error));
    }
    this.timer = setTimeout(() => void this.update(), REFRESH_MS);
    return this.state();
  }

  dispose(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.item.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async shouldShow(): Promise<boolean> {
    if (!enabled() || !(await this.account.isSignedIn())) return false;
    return (await this.permissions.state('viewBilling')) !== 'denied';
  }

  private setVisible(visible: boolean): void {
    this.shown = visible;
    if (visible) this.item.show();
    else this.item.hide();
  }

  private state(): { visible: boolean; text: string; tooltip: string } {
    return { visible: this.shown, text: this.item.text, tooltip: String(this.item.tooltip ?? '') };
  }
}

function enabled(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(SETTING, false);
}
