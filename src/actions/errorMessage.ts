import * as l10n from '@vscode/l10n';
import { isDevinApiError, redactSecrets } from '../api/errors';

/** What a person is told went wrong: the API error's own wording, or a thrown error's message with secrets hidden. */
export function errorMessage(error: unknown): string {
  if (isDevinApiError(error)) return error.message;
  if (error instanceof Error && error.message) return redactSecrets(error.message);
  return l10n.t('Something went wrong. Check the Devin output channel for details.');
}
