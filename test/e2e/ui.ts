// Everything the e2e suite knows about how the workbench and the extension look, in one place: when the
// UI moves, this is the file to adjust. Selectors lean on aria labels, roles and visible text rather than
// layout classes wherever VS Code offers them.
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';

export const selectors = {
  /** The view container `devin` (title "Devin") in the activity bar; its link carries the title. */
  activityBarEntry: '.part.activitybar .action-item a[aria-label^="Devin"]',
  /** Set on the side bar while a view container is showing. */
  devinContainerShowing: '[id="workbench.parts.sidebar"][data-active-composite="workbench.view.extension.devin"]',
  /** The pane of view `devin.sessions` ("Sessions"), whether its header is merged into the title or not. */
  sessionsPane: '.pane:has(.pane-header[aria-label^="Sessions"])',
  /** viewsWelcome content of a pane. */
  welcome: '.welcome-view-content',
  /** The tree of a custom view is labelled with the view's name. */
  sessionsTree: '[role="tree"][aria-label="Sessions"]',
  treeItem: '[role="treeitem"]',
  twistie: '.monaco-tl-twistie',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputOption: '.quick-input-widget .quick-input-list [role="option"]',
  quickInputTitle: '.quick-input-widget .quick-input-title',
  /** The label of a quick-pick row, without its description, detail or keybinding. */
  quickInputLabel: '.label-name',
  notificationsCenter: '.notifications-center',
  notificationItem: '.notifications-center .notification-list-item',
  /** A modal message (`showInformationMessage(…, { modal: true })`), drawn by the workbench in a browser. */
  dialog: '.monaco-dialog-box',
} as const;

const STEP_TIMEOUT_MS = 30_000;
/** A flow may load data between steps; this long without a quick input means it is over. */
const NEXT_STEP_GRACE_MS = 5_000;

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {}

  activityBarEntry(): Locator {
    return this.page.locator(selectors.activityBarEntry);
  }

  async openDevin(): Promise<void> {
    await this.activityBarEntry().waitFor({ timeout: STEP_TIMEOUT_MS });
    // A second click on an already active container would hide the side bar.
    if ((await this.page.locator(selectors.devinContainerShowing).count()) === 0) await this.activityBarEntry().click();
    await this.page.locator(selectors.devinContainerShowing).waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  sessionsWelcome(): Locator {
    return this.page.locator(selectors.sessionsPane).locator(selectors.welcome);
  }

  /** The welcome's sign-in button; `label` for a display language other than English. */
  signInButton(label = 'Sign In'): Locator {
    return this.sessionsWelcome().getByRole('button', { name: label });
  }

  /** Opens the command palette with `>filter` typed, leaving it open. */
  async openPalette(filter: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const box = this.page.locator(selectors.quickInputBox);
    await box.waitFor({ timeout: STEP_TIMEOUT_MS });
    await box.fill(`>${filter}`);
  }

  /** A row of the open command palette by its exact label, e.g. "Devin: Sign In". */
  paletteOption(label: string): Locator {
    return this.page
      .locator(selectors.quickInputOption)
      .filter({
        has: this.page.locator(selectors.quickInputLabel, { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
      })
      .first();
  }

  /** Runs a command by its palette title, e.g. "Devin: Sign In". */
  async runCommand(title: string): Promise<void> {
    await this.openPalette(title);
    // Exact label (a trailing ellipsis optional): "New Session" must not pick "New Session from Selection…".
    const label = new RegExp(`^${escapeRegExp(title)}(?:…|\\.\\.\\.)?$`);
    const option = this.page
      .locator(selectors.quickInputOption)
      .filter({ has: this.page.locator(selectors.quickInputLabel, { hasText: label }) })
      .first();
    await option.waitFor({ timeout: STEP_TIMEOUT_MS });
    await option.click();
    // Until the palette has gone, its rows would be mistaken for the command's own first step.
    await option.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  }

  /** The next input box of a multi-step flow; password boxes included. */
  async typeIntoInputBox(text: string, options: { password?: boolean } = {}): Promise<void> {
    const box = this.page.locator(
      options.password ? `${selectors.quickInputBox}[type="password"]` : selectors.quickInputBox,
    );
    await box.waitFor({ timeout: STEP_TIMEOUT_MS });
    // Quick picks and input boxes share one widget: wait until the previous step's list is gone, or the
    // text would land in the pick's filter.
    await this.page.locator(selectors.quickInputOption).first().waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
    await box.fill(text);
    await box.press('Enter');
  }

  /**
   * Answers a multi-step quick-input flow in whatever order the extension asks: a list holding one of
   * `picks` gets that row, any other list its first (default) row, an input box gets `text`. Returns
   * once no further step appears.
   */
  async answerQuickInputs(picks: string[], text: string, maxSteps = 6): Promise<string[]> {
    const answered: string[] = [];
    for (let i = 0; i < maxSteps; i += 1) {
      const before = await this.quickInputState(NEXT_STEP_GRACE_MS);
      if (!before) return answered;
      const options = this.page.locator(selectors.quickInputOption).filter({ visible: true });
      const labels = await options.evaluateAll(
        (rows, labelSelector) => rows.map((row) => row.querySelector(labelSelector)?.textContent?.trim() ?? ''),
        selectors.quickInputLabel,
      );
      if (labels.length > 0) {
        const index = Math.max(
          0,
          labels.findIndex((label) => picks.some((pick) => label.includes(pick))),
        );
        await options.nth(index).click();
        answered.push(`picked "${labels[index]}"`);
      } else {
        const box = this.page.locator(selectors.quickInputBox);
        await box.fill(text);
        await box.press('Enter');
        answered.push('typed the instruction');
      }
      await this.page
        .waitForFunction(`${pageState} !== ${JSON.stringify(before)}`, undefined, { timeout: STEP_TIMEOUT_MS })
        .catch(() => undefined); // an unchanged state is handled by the next round
    }
    throw new Error(`the quick input was still open after ${maxSteps} steps: ${answered.join(', ')}`);
  }

  /** A fingerprint of what the quick input shows, or undefined once it stays closed for `graceMs`. */
  private async quickInputState(graceMs: number): Promise<string | undefined> {
    const deadline = Date.now() + graceMs;
    for (;;) {
      const state = await this.page.evaluate(pageState);
      if (state) return state as string;
      if (Date.now() > deadline) return undefined;
      await this.page.waitForTimeout(100);
    }
  }

  /**
   * Waits until the quick input shows the step with this title (and placeholder, for a list). Steps share one
   * widget, so typing or clicking before the step's own title shows would answer the previous step.
   */
  async quickInputStep(title: string, placeholder?: string): Promise<void> {
    await this.page
      .locator(selectors.quickInputTitle, { hasText: new RegExp(`^${escapeRegExp(title)}$`) })
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    if (placeholder !== undefined)
      await this.page
        .locator(`${selectors.quickInputBox}[placeholder="${placeholder.replace(/"/g, '\\"')}"]`)
        .waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  /** The labels of the rows the open quick pick shows, icons left out. */
  async quickPickLabels(): Promise<string[]> {
    const options = this.page.locator(selectors.quickInputOption).filter({ visible: true });
    await options.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    return options.evaluateAll(
      (rows, labelSelector) => rows.map((row) => row.querySelector(labelSelector)?.textContent?.trim() ?? ''),
      selectors.quickInputLabel,
    );
  }

  /** The label of the row Enter would pick now (the list's focused row). */
  async activeQuickPickLabel(): Promise<string> {
    const focused = this.page.locator(`${selectors.quickInputOption}.focused`).first();
    await focused.waitFor({ timeout: STEP_TIMEOUT_MS });
    return ((await focused.locator(selectors.quickInputLabel).first().textContent()) ?? '').trim();
  }

  /** Clicks the row of the open quick pick whose label is exactly `label` ("Member" must not pick "Enterprise Member"). */
  async pickQuickPickRow(label: string): Promise<void> {
    const option = this.page
      .locator(selectors.quickInputOption)
      .filter({
        has: this.page.locator(selectors.quickInputLabel, { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
      })
      .first();
    await option.waitFor({ timeout: STEP_TIMEOUT_MS });
    await option.click();
  }

  /** True when no quick input shows up within `graceMs` (a command that refuses must not ask for anything). */
  async quickInputStaysClosed(graceMs = NEXT_STEP_GRACE_MS): Promise<boolean> {
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      if (await this.page.evaluate(pageState)) return false;
      await this.page.waitForTimeout(100);
    }
    return true;
  }

  /** The modal message the workbench shows, once it is open. */
  async waitForDialog(): Promise<Locator> {
    const dialog = this.page.locator(selectors.dialog);
    await dialog.waitFor({ timeout: STEP_TIMEOUT_MS });
    return dialog;
  }

  /** Lets the workbench write the browser's clipboard and the test read it; before anything is copied. */
  async allowClipboard(): Promise<void> {
    await this.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  }

  /** What the browser's clipboard holds: what VS Code copied, as a person would paste it. */
  async readClipboard(): Promise<string> {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  /** Waits until the clipboard holds something other than `previous`: the extension host copies asynchronously. */
  async clipboardChangedFrom(previous: string): Promise<string> {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      const text = await this.readClipboard();
      if (text !== previous) return text;
      if (Date.now() > deadline) throw new Error('nothing new was copied to the clipboard');
      await this.page.waitForTimeout(100);
    }
  }

  async quickInputClosed(): Promise<void> {
    await this.page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  }

  sessionRows(): Locator {
    return this.page.locator(selectors.sessionsTree).locator(selectors.treeItem);
  }

  topLevelRow(name: string): Locator {
    return this.sessionRows().and(this.page.locator('[aria-level="1"]')).filter({ hasText: name }).first();
  }

  childRows(): Locator {
    return this.sessionRows().and(this.page.locator('[aria-level="2"]'));
  }

  async expand(row: Locator): Promise<void> {
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator(selectors.twistie).click();
    // The row is found again on every check: the tree recycles its row elements, so a handle taken once can end up
    // showing another row.
    await row.and(this.page.locator('[aria-expanded="true"]')).waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  /**
   * Waits for a notification in the notification center. The workbench never shows toasts while the
   * smoke-test driver is on, and that flag is what makes it load the extension under development.
   */
  async waitForNotification(text: string): Promise<Locator> {
    if (!(await this.page.locator(selectors.notificationsCenter).isVisible())) {
      await this.runCommand('Notifications: Show Notifications');
    }
    const item = this.page.locator(selectors.notificationItem).filter({ hasText: text }).first();
    await item.waitFor({ timeout: STEP_TIMEOUT_MS });
    return item;
  }

  async screenshot(name: string): Promise<string> {
    const file = path.join(this.screenshotDir, `e2e-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** Runs in the page: title, prompt, input type and rows of a visible quick input, or '' when hidden. */
function stateOf(widget: Element | null): string {
  if (!(widget instanceof HTMLElement) || widget.offsetParent === null || widget.style.display === 'none') return '';
  const text = (selector: string) =>
    Array.from(widget.querySelectorAll(selector), (element) => element.textContent ?? '').join('|');
  const input = widget.querySelector('.quick-input-box input');
  return [
    text('.quick-input-title'),
    text('.quick-input-message'),
    input?.getAttribute('type'),
    text('[role="option"]'),
  ].join('§');
}

const pageState = `(${stateOf.toString()})(document.querySelector(${JSON.stringify(selectors.quickInput)}))`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export { STEP_TIMEOUT_MS };
