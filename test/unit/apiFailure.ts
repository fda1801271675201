import assert from 'node:assert/strict';
import { DevinApiError } from '../../src/api/errors';

/** The DevinApiError a call ends with; fails the test if it succeeds, throws anything else, or shows a token. */
export async function apiFailure(promise: Promise<unknown>): Promise<DevinApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DevinApiError, `expected DevinApiError, got ${String(error)}`);
    assert.ok(!error.message.includes('cog_sandbox'), 'no token in any message');
    return error;
  }
  assert.fail('expected the call to fail');
}
