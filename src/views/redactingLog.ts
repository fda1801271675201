import type * as vscode from 'vscode';
import { redactSecrets } from '../core/redaction';

/**
 * The Devin output channel with every line passed through the redactor first. Server text reaches the log
 * from many places (error bodies, names, transcripts of failures); filtering at the channel means none of
 * them can forget to.
 */
export function redactingLog(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  const clean = (value: unknown): unknown =>
    typeof value === 'string' ? redactSecrets(value) : value instanceof Error ? redactSecrets(value.message) : value;
  const wrapped: Partial<vscode.LogOutputChannel> = {
    trace: (message, ...args) => channel.trace(redactSecrets(message), ...args.map(clean)),
    debug: (message, ...args) => channel.debug(redactSecrets(message), ...args.map(clean)),
    info: (message, ...args) => channel.info(redactSecrets(message), ...args.map(clean)),
    warn: (message, ...args) => channel.warn(redactSecrets(message), ...args.map(clean)),
    error: (error, ...args) =>
      channel.error(
        typeof error === 'string' ? redactSecrets(error) : redactSecrets(error.message),
        ...args.map(clean),
      ),
    append: (value) => channel.append(redactSecrets(value)),
    appendLine: (value) => channel.appendLine(redactSecrets(value)),
    replace: (value) => channel.replace(redactSecrets(value)),
  };
  return new Proxy(channel, {
    get(target, property, receiver) {
      if (typeof property === 'string' && property in wrapped) return wrapped[property as keyof typeof wrapped];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
