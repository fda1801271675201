import * as vscode from 'vscode';
import { toDevinId } from '../core/models';

/** Sessions the user asked not to be notified about, remembered per workspace. */
export class MutedSessions implements vscode.Disposable {
  private static readonly key = 'devin.mutedSessions';
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the session id whose muting changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {}

  has(sessionId: string): boolean {
    return this.ids().includes(toDevinId(sessionId));
  }

  async mute(sessionId: string): Promise<void> {
    const id = toDevinId(sessionId);
    if (this.has(id)) return;
    await this.memento.update(MutedSessions.key, [...this.ids(), id]);
    this.changed.fire(id);
  }

  async unmute(sessionId: string): Promise<void> {
    const id = toDevinId(sessionId);
    if (!this.has(id)) return;
    await this.memento.update(
      MutedSessions.key,
      this.ids().filter((candidate) => candidate !== id),
    );
    this.changed.fire(id);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private ids(): string[] {
    const stored = this.memento.get<unknown>(MutedSessions.key, []);
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  }
}
