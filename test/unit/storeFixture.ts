import { DevinClient } from '../../src/api/client';
import { SessionStore } from '../../src/store/sessionStore';
import { SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';

/**
 * A session store over a real client talking to the sandbox, the way the extension builds one, for the store and
 * poller tests. Retries inside the HTTP layer happen at once: the poller's own back-off, on the test's clock, is
 * what those tests measure.
 */
export function storeOnSandbox(
  sandbox: Sandbox,
  now: () => number,
  options: { token?: string; configuredOrgId?: string; apiVersion?: 'v3' | 'v3beta1' } = {},
): { store: SessionStore; client: DevinClient } {
  const client = new DevinClient({
    baseUrl: sandbox.baseUrl,
    apiVersion: options.apiVersion ?? 'v3',
    getToken: async () => options.token ?? SANDBOX_TOKENS.enterpriseAdmin,
    timeoutMs: 5000,
    sleep: async () => undefined,
  });
  const store = new SessionStore(
    {
      isSignedIn: async () => true,
      getIdentity: () => client.getSelf(),
      getClient: () => client,
      configuredOrgId: () => options.configuredOrgId,
      pageSize: () => 20,
    },
    now,
  );
  return { store, client };
}
