import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { DevinApiError, extractServerMessage } from '../../src/api/errors';
import { csvField } from '../../src/core/consumptionCsv';
import { describeUnsafeUrl, safeExternalUrl } from '../../src/core/externalUrl';
import { sessionTooltipMarkdown } from '../../src/core/sessionPresentation';
import type { Session } from '../../src/core/models';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

/** Text and links that come from the server, on their way to a message, a hover, a browser or a spreadsheet. */

describe('error bodies', () => {
  test('a gateway HTML page becomes its title, not markup', () => {
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>';
    assert.equal(extractServerMessage(html), '502 Bad Gateway');
    const message = new DevinApiError({ kind: 'server', status: 502, serverMessage: extractServerMessage(html) })
      .message;
    assert.ok(!/[<>]/.test(message), message);
  });

  test('an HTML page without a title keeps its visible text only; scripts and comments go', () => {
    const html =
      '<!DOCTYPE html><body><script>var a = "<b>";</script><!-- note --><p>Service&nbsp;down &amp; out</p></body>';
    assert.equal(extractServerMessage(html), 'Service down & out');
  });

  test('a page cut off in the middle of a tag leaves no markup', () => {
    assert.equal(extractServerMessage('<html><body><h1>Upstream error</h1><div class="x'), 'Upstream error');
  });

  test('an HTML page with nothing visible is dropped', () => {
    assert.equal(extractServerMessage('<html><body><script>x()</script></body></html>'), undefined);
  });

  test('plain text stays as it is', () => {
    assert.equal(extractServerMessage('upstream connect error'), 'upstream connect error');
    assert.equal(extractServerMessage('a < b and c > d'), 'a < b and c > d');
  });

  test('a problem+json 422 names each field once', () => {
    const body = {
      type: 'about:blank',
      title: 'Validation Error',
      status: 422,
      detail: 'body.prompt: Field required; body.title: String too long',
      errors: [
        { loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' },
        { loc: ['body', 'title'], msg: 'String too long', type: 'string_too_long' },
      ],
    };
    assert.equal(extractServerMessage(body), 'prompt: Field required; title: String too long');
  });

  test('FastAPI detail arrays, a problem+json detail alone, and a legacy detail string still read', () => {
    assert.equal(
      extractServerMessage({ detail: [{ loc: ['body', 'prompt'], msg: 'Field required' }] }),
      'prompt: Field required',
    );
    assert.equal(
      extractServerMessage({ title: 'Forbidden', status: 403, detail: 'Missing permission: ManageOrgSessions' }),
      'Missing permission: ManageOrgSessions',
    );
    assert.equal(extractServerMessage({ detail: 'Not found' }), 'Not found');
    assert.equal(extractServerMessage({ title: 'Conflict', status: 409 }), 'Conflict');
  });
});

describe('error text from the sandbox, end to end', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  const client = (apiVersion: 'v3' | 'v3beta1') =>
    new DevinClient({
      baseUrl: sandbox.baseUrl,
      apiVersion,
      getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
      retry: { readRetries: 0 },
    });

  for (const version of ['v3', 'v3beta1'] as const)
    test(`a 422 on ${version} names the missing field once`, async () => {
      await assert.rejects(client(version).createSession(SANDBOX_ORG_IDS.acme, { prompt: '' }), (error: unknown) => {
        assert.ok(error instanceof DevinApiError);
        assert.equal(error.kind, 'validation');
        assert.equal(error.message.match(/prompt/g)?.length, 1, error.message);
        return true;
      });
    });

  test('a 502 gateway page reads as its title', async () => {
    sandbox.faults.inject({ kind: 'status', status: 502 });
    await assert.rejects(client('v3').listOrganizations(), (error: unknown) => {
      assert.ok(error instanceof DevinApiError);
      assert.match(error.message, /HTTP 502\)\. Try again in a moment\. The server said: 502 Bad Gateway$/);
      return true;
    });
  });
});

describe('links from the server', () => {
  test('only https links are opened', () => {
    assert.equal(safeExternalUrl('https://app.devin.ai/sessions/abc'), 'https://app.devin.ai/sessions/abc');
    assert.equal(safeExternalUrl(' https://github.com/acme/api/pull/42 '), 'https://github.com/acme/api/pull/42');
    for (const url of [
      'http://app.devin.ai/sessions/abc',
      'file:///etc/passwd',
      'command:workbench.action.terminal.new',
      'vscode://ms-vscode.remote/open',
      'javascript:alert(1)',
      'ftp://example.com/x',
      'https://app.devin.ai@evil.example/',
      '/sessions/relative',
      '',
      undefined,
    ])
      assert.equal(safeExternalUrl(url), undefined, String(url));
  });

  test('the refusal says why without repeating the link', () => {
    assert.equal(
      describeUnsafeUrl('file:///etc/passwd', 'session'),
      'The session link from Devin was not opened: it uses file: instead of https:. Only https:// links are opened.',
    );
    assert.match(describeUnsafeUrl('not a url', 'pull request'), /pull request link .* not a valid https:\/\/ address/);
    assert.match(describeUnsafeUrl('', 'session'), /it is empty/);
  });

  test('a hover links only https addresses and shows others as plain text', () => {
    const session: Session = {
      id: 'devin-1',
      orgId: 'org-1',
      title: 'Fix it',
      status: 'running',
      tags: [],
      pullRequests: [
        { url: 'https://github.com/acme/api/pull/42', state: 'open' },
        { url: 'command:workbench.action.terminal.new', state: 'open' },
      ],
      url: 'file:///etc/passwd',
    } as unknown as Session;
    const markdown = sessionTooltipMarkdown(session, 0);
    assert.match(markdown, /\[acme\/api\\?#42\]\(https:\/\/github\.com\/acme\/api\/pull\/42\)/);
    assert.ok(!markdown.includes('](command:'), markdown);
    assert.ok(!markdown.includes('file:'), markdown);
    assert.ok(!markdown.includes('Open in Devin'), 'no link to a session page that is not https');
  });
});

describe('CSV formula guard', () => {
  test('cells a spreadsheet would run as formulas get a leading apostrophe', () => {
    const formulas = [
      "-1+cmd|' /C calc'!A0",
      '-2+HYPERLINK("http://evil","x")',
      '+1+1',
      '=1+1',
      '@SUM(A1)',
      '\tTAB',
      '\r=1',
      '\n=1',
      ' =1+1',
      '＝1+1',
      '-',
      '-1-',
      '1+1',
    ].filter((value) => !/^\d/.test(value));
    for (const value of formulas) {
      const field = csvField(value);
      const unquoted = field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
      assert.ok(unquoted.startsWith("'"), `${JSON.stringify(value)} → ${field}`);
    }
  });

  test('plain numbers, negative ones included, stay numbers', () => {
    for (const value of ['-1', '-1.5', '0', '12.25', '-3e5', '1E-7']) assert.equal(csvField(value), value);
  });

  test('text that does not start a formula is unchanged (quoted only when needed)', () => {
    assert.equal(csvField('Acme Inc'), 'Acme Inc');
    assert.equal(csvField('a-b=c'), 'a-b=c');
    assert.equal(csvField('with, comma'), '"with, comma"');
  });
});
