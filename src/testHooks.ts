import type * as vscode from 'vscode';
import { askToSendTokenToOrigin, type OriginApproval } from './auth/account';

/**
 * What the integration tests may steer that a person would otherwise do by hand: answer the modal question
 * before the token goes to another host (a modal cannot be clicked from the extension host), and make
 * secret storage refuse writes as a missing keyring does. Created only in ExtensionMode.Test.
 */
export class DevinTestHooks {
  private originAnswer: boolean | undefined;
  private failWrites = false;
  private readonly asked: { origin: string; boundOrigin: string | undefined }[] = [];

  constructor(private readonly realSecrets: vscode.SecretStorage) {}

  /** The answer given to every "send the token to this host?" question; undefined shows the real modal. */
  answerOriginPrompts(answer: boolean | undefined): void {
    this.originAnswer = answer;
  }

  /** Every question asked so far, in order. */
  originPrompts(): readonly { origin: string; boundOrigin: string | undefined }[] {
    return [...this.asked];
  }

  failSecretWrites(fail: boolean): void {
    this.failWrites = fail;
  }

  readonly approveOrigin: OriginApproval = async (request) => {
    this.asked.push({ ...request });
    return this.originAnswer ?? askToSendTokenToOrigin(request);
  };

  /** The real secret storage, except that writes fail while `failSecretWrites(true)` is in force. */
  readonly secrets: vscode.SecretStorage = {
    get: (key) => this.realSecrets.get(key),
    keys: () => this.realSecrets.keys(),
    delete: (key) => this.realSecrets.delete(key),
    store: async (key, value) => {
      if (this.failWrites) throw new Error('the system keyring is not available');
      return this.realSecrets.store(key, value);
    },
    onDidChange: (listener, thisArgs, disposables) => this.realSecrets.onDidChange(listener, thisArgs, disposables),
  };
}
