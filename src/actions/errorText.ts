import * as l10n from '@vscode/l10n';
import { isDevinApiError, redactSecrets } from '../api/errors';

/**
 * The words a failure is shown in, after what failed ("Could not create the Devin session: …"). Here, not in the
 * commands, so that a test in plain Node checks the very text a user would read after an action's outcome.
 */
export function errorMessage(error: unknown): string {
  if (isDevinApiError(error)) return error.message;
  if (error instanceof Error && error.message) return redactSecrets(error.message);
  return l10n.t('Something went wrong. Check the Devin output channel for details.');
}
