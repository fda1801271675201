import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { DevinApiError, extractServerMessage } from '../../src/api/errors';
import { SecretRedactor, base64Fragments, knownSecrets, redactSecrets } from '../../src/core/redaction';
import type * as vscode from 'vscode';
import type { Session } from '../../src/core/models';
import { chatMessageView, sessionHeaderView } from '../../src/core/sessionView';
import { redactingLog } from '../../src/views/redactingLog';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

/** The redactor: the exact token and the forms a server echoes it in, plus anything shaped like a credential. */

const TOKEN = SANDBOX_TOKENS.member;
/** The part after `cog_`: none of it may survive. */
const SECRET_PART = TOKEN.slice('cog_'.length);

function redactor(...secrets: string[]): SecretRedactor {
  const result = new SecretRedactor();
  for (const secret of secrets) result.add(secret);
  return result;
}

/** No 8-character run of the secret part survives, in clear or in any encoding tested here. */
function assertNothingOfSecretLeft(text: string, secret: string = SECRET_PART): void {
  const forms = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];
  for (const form of forms)
    for (let start = 0; start + 8 <= form.length; start += 4)
      assert.ok(!text.includes(form.slice(start, start + 8)), `"${form.slice(start, start + 8)}" survived in: ${text}`);
}

describe('redaction of a known token', () => {
  const cases: Record<string, string> = {
    exact: `token ${TOKEN} rejected`,
    'URL-encoded after a space': `GET /x?q=Bearer%20${encodeURIComponent(TOKEN)}&y=1`,
    'double URL-encoded': `next=${encodeURIComponent(encodeURIComponent(`a ${TOKEN}`))}`,
    'after Bearer_': `header Bearer_${TOKEN}`,
    'glued to a word': `xcog_${SECRET_PART} and y${TOKEN}z`,
    'JSON string': JSON.stringify({ detail: `bad key ${TOKEN}` }),
  };
  for (const [name, text] of Object.entries(cases))
    test(name, () => {
      const result = redactor(TOKEN).redact(text);
      assert.ok(!result.includes(TOKEN), result);
      assertNothingOfSecretLeft(result);
    });

  test('base64 and base64url of the token alone and inside a longer string, at every alignment', () => {
    const r = redactor(TOKEN);
    for (const prefix of ['', 'A', 'AB', 'Authorization: Bearer ', 'Bearer ', 'x:'])
      for (const suffix of ['', '!', '\n', ':rest of it'])
        for (const encoding of ['base64', 'base64url'] as const) {
          const encoded = Buffer.from(`${prefix}${TOKEN}${suffix}`).toString(encoding);
          const result = r.redact(`echo: ${encoded} end`);
          assert.ok(!result.includes(encoded), `${encoding} of ${JSON.stringify(prefix)}…: ${result}`);
          assertNothingOfSecretLeft(result);
          assert.match(result, /^echo: .* end$/, 'the surrounding text stays');
        }
  });

  test('a token with characters that URL encoding changes is found in its encoded form', () => {
    const unusual = 'cog_sample/secret+value=with spaces';
    const r = redactor(unusual);
    const encoded = encodeURIComponent(unusual);
    for (const form of [encoded, encoded.toLowerCase(), encodeURIComponent(encoded)]) {
      const result = r.redact(`x=${form}&y=2`);
      assert.equal(result, 'x=…&y=2', form);
    }
  });

  test('text without the token is left exactly as it was', () => {
    const text = 'Rate limit exceeded for org-123; retry in 30 s. Status: 429 (a=b+c/d).';
    assert.equal(redactor(TOKEN).redact(text), text);
  });

  test('the redacted text says something was hidden', () => {
    assert.equal(redactor(TOKEN).redact(`key ${TOKEN}.`), 'key ….');
  });

  test('remembers a bounded number of secrets, forgetting the oldest', () => {
    const r = new SecretRedactor(2);
    r.add('first-secret-value-1234');
    r.add('second-secret-value-5678');
    r.add('third-secret-value-9012');
    assert.equal(r.redact('first-secret-value-1234'), 'first-secret-value-1234');
    assert.equal(r.redact('third-secret-value-9012'), '…');
  });

  test('redactDeep replaces strings anywhere in a message and keeps numbers, nulls and structure', () => {
    const message = { type: 'error', text: `no ${TOKEN}`, nested: [{ name: TOKEN, acus: 1.5 }, null, 3] };
    const result = redactor(TOKEN).redactDeep(message);
    assert.deepEqual(result, { type: 'error', text: 'no …', nested: [{ name: '…', acus: 1.5 }, null, 3] });
    assert.equal(message.text, `no ${TOKEN}`, 'the original is not modified');
  });

  test('redactDeep clears a session page message of the signed-in token and of any other key, names included', () => {
    // Signed in, as the extension is when it builds a page message: the session's label is read through the shared
    // redactor too.
    knownSecrets.add(TOKEN);
    const other = SANDBOX_TOKENS.orgViewer;
    const session: Session = {
      id: 'devin-1',
      orgId: SANDBOX_ORG_IDS.acme,
      url: 'https://app.devin.ai/sessions/1',
      status: 'running',
      statusDetail: 'working',
      title: `Rotate ${TOKEN} and ${other}`,
      tags: [`key:${TOKEN}`, other],
      createdAt: 1_700_000_000,
      updatedAt: 1_700_003_600,
      acusConsumed: 1,
      pullRequests: [],
      isArchived: false,
      origin: 'api',
      userId: undefined,
      serviceUserId: undefined,
    };
    const sent = [
      { type: 'session', session: sessionHeaderView(session, `Org of ${other}`, 1_700_003_700) },
      {
        type: 'messages',
        mode: 'replace',
        messages: [
          chatMessageView({ id: 'event-1', source: 'user', message: `Use ${TOKEN}`, createdAt: 1 }),
          chatMessageView({ id: 'event-2', source: 'devin', message: `Found ${other} in .env`, createdAt: 2 }),
        ],
        hasOlder: false,
      },
      // Shaped by name: a server value that became a property name is shown too.
      { type: 'table', byName: { [`owner ${TOKEN}`]: 1, [other]: 2 } },
    ];
    const result = JSON.stringify(redactor(TOKEN).redactDeep(sent));
    assertNothingOfSecretLeft(result);
    assertNothingOfSecretLeft(result, other.slice('cog_'.length));
    assert.match(result, /"title":"Rotate … and cog_…"/);
    assert.match(result, /"text":"Found cog_… in \.env"/);
    assert.match(result, /"byName":\{"owner …":1,"cog_…":2\}/);
  });

  test('redactDeep keeps a `__proto__` name from the server as a plain property', () => {
    const result = redactor(TOKEN).redactDeep(JSON.parse(`{"__proto__": {"x": "${TOKEN}"}}`) as object);
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(result, '__proto__')?.value, { x: '…' });
  });

  test('a title is redacted before it is shortened, so no part of a secret is left at the cut', () => {
    const secret = 'opaque-service-secret-3f9a7c1e5b';
    const r = redactor(secret);
    const title = `Rotate the key ${secret} today`;
    for (let maxLength = 10; maxLength <= title.length; maxLength++) {
      const shown = r.redactShortened(title, maxLength);
      assert.ok(shown.length <= maxLength, shown);
      for (let start = 0; start + 6 <= secret.length; start += 3)
        assert.ok(!shown.includes(secret.slice(start, start + 6)), `${maxLength}: ${shown}`);
    }
    assert.equal(r.redactShortened(title, 100), 'Rotate the key … today');
    assert.equal(r.redactShortened(title, 16), 'Rotate the key …');
  });

  test('base64Fragments covers every alignment with characters that depend on the token alone', () => {
    const fragments = base64Fragments(TOKEN);
    assert.equal(fragments.length, 3);
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.from(`${'Q'.repeat(offset)}${TOKEN}`).toString('base64');
      assert.ok(encoded.includes(fragments[offset] as string), `offset ${offset}`);
      assert.ok((fragments[offset] as string).length >= Math.floor((TOKEN.length * 4) / 3) - 6);
    }
  });
});

describe('redaction by shape, for credentials this window never held', () => {
  const r = new SecretRedactor();
  const other = 'cog_' + 'abcd.efgh.' + 'S3CRETvalue';
  const cases: Record<string, [string, RegExp]> = {
    'a dotted token keeps nothing after the prefix': [`bad ${other} here`, /^bad cog_… here$/],
    'after Bearer_': [`Bearer_${other}`, /^Bearer_cog_…$/],
    'glued to a word': [`x${other}`, /^xcog_…$/],
    'URL-encoded space before it': [`q=%20${other}`, /^q=%20cog_…$/],
    'legacy apk_user_ keys': ['apk_user_0123456789abcdef', /^apk_user_…$/],
    'base64-ish characters in the secret part': ['cog_ab+cd/ef==', /^cog_…$/],
  };
  for (const [name, [text, expected]] of Object.entries(cases))
    test(name, () => {
      const result = r.redact(text);
      assert.match(result, expected);
      assert.ok(!result.includes('S3CRET') && !result.includes('efgh'), result);
    });

  test('words that merely contain "cog" are left alone', () => {
    assert.equal(r.redact('cognition recognises cog wheels'), 'cognition recognises cog wheels');
  });
});

describe('redaction where server text becomes a message', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  test('an error body that echoes the token in several encodings shows none of them', async () => {
    const token = SANDBOX_TOKENS.orgServiceUser;
    knownSecrets.add(token);
    const echo = [
      `got ${token}`,
      `auth=Bearer%20${encodeURIComponent(token)}`,
      `b64 ${Buffer.from(`Bearer ${token}`).toString('base64')}`,
      `Bearer_${token}`,
    ].join('; ');
    sandbox.faults.inject({ kind: 'status', status: 403, body: { detail: echo } });
    const client = new DevinClient({
      baseUrl: sandbox.baseUrl,
      apiVersion: 'v3',
      getToken: async () => token,
      retry: { readRetries: 0 },
    });
    try {
      await assert.rejects(client.listSessions(SANDBOX_ORG_IDS.acme), (error: unknown) => {
        assert.ok(error instanceof DevinApiError);
        assert.match(error.message, /The server said: got …; auth=Bearer%20…; b64 …; Bearer_…/);
        assertNothingOfSecretLeft(error.message, token.slice(4));
        return true;
      });
    } finally {
      await client.dispose();
    }
  });

  test('extractServerMessage and redactSecrets use the shared known secrets', () => {
    const token = SANDBOX_TOKENS.enterpriseAdmin;
    knownSecrets.add(token);
    const encoded = Buffer.from(token).toString('base64url');
    assert.equal(extractServerMessage({ detail: `x ${encoded} y` }), 'x … y');
    assert.equal(redactSecrets(`[${encodeURIComponent(token)}]`), '[…]');
  });
});

describe('the Devin log', () => {
  test('every write to the output channel is redacted; everything else passes through', () => {
    const token = SANDBOX_TOKENS.expired;
    knownSecrets.add(token);
    const written: unknown[][] = [];
    const record =
      (method: string) =>
      (...args: unknown[]) =>
        void written.push([method, ...args]);
    const channel = {
      name: 'Devin',
      logLevel: 2,
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
      debug: record('debug'),
      trace: record('trace'),
      append: record('append'),
      appendLine: record('appendLine'),
      replace: record('replace'),
      show: record('show'),
    };
    const log = redactingLog(channel as unknown as vscode.LogOutputChannel);
    log.info(`signed in with ${token}`, `extra ${encodeURIComponent(token)}`, 3);
    log.warn(`Bearer_${token}`);
    log.error(new Error(`failed: ${Buffer.from(token).toString('base64')}`));
    log.error(`plain ${token}`, new Error(`cause ${token}`));
    log.debug(token);
    log.trace(token);
    log.append(token);
    log.appendLine(token);
    log.replace(token);
    log.show(true);
    assert.equal(log.name, 'Devin');
    assert.equal(log.logLevel, 2);
    assert.deepEqual(written, [
      ['info', 'signed in with …', 'extra …', 3],
      ['warn', 'Bearer_…'],
      ['error', 'failed: …'],
      ['error', 'plain …', 'cause …'],
      ['debug', '…'],
      ['trace', '…'],
      ['append', '…'],
      ['appendLine', '…'],
      ['replace', '…'],
      ['show', true],
    ]);
  });
});
