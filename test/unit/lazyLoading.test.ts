// VS Code evaluates the whole extension before the Devin view can paint, so the API layer and the session page's
// message check keep their heavy dependencies, undici and zod (with the schemas built from it), out of module loading:
// they are required on the first request or page message. This file loads those modules the way the extension does
// and checks what Node has loaded, before and after. It has the process to itself (node --test runs each file apart),
// so nothing else has loaded them first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { fetchEnterpriseConsumption } from '../../src/api/consumptionEndpoints';
import { parsePageMessage } from '../../src/webview/sessionMessages';
import { SANDBOX_TOKENS, startSandbox } from '../sandbox/server';

function loaded(folder: string): string[] {
  return Object.keys(require.cache).filter((file) => file.includes(`/node_modules/${folder}/`));
}

test('undici and zod load on the first request or page message, not with the modules', async (t) => {
  assert.equal(typeof fetchEnterpriseConsumption, 'function');
  assert.deepEqual(loaded('undici'), [], 'undici loaded with the client');
  assert.deepEqual(loaded('zod'), [], 'zod loaded with the client or the session page messages');
  assert.equal(
    Object.keys(require.cache).some((file) => /[/\\]src[/\\]api[/\\]schemas\.js$/.test(file)),
    false,
    'the response schemas were built with the client',
  );

  const sandbox = await startSandbox();
  t.after(() => sandbox.close());
  const client = new DevinClient({
    baseUrl: sandbox.baseUrl,
    apiVersion: 'v3',
    getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
  });
  t.after(() => client.dispose());
  const identity = await client.getSelf();
  assert.equal(identity.kind, 'service_user');
  assert.notDeepEqual(loaded('undici'), [], 'undici after the first request');
  assert.notDeepEqual(loaded('zod'), [], 'zod after the first response');
  assert.deepEqual(parsePageMessage({ type: 'ready' }), { type: 'ready' });
  assert.equal(parsePageMessage({ type: 'send' }), undefined);
});
