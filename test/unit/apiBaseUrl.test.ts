import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_API_BASE_URL, parseApiBaseUrl } from '../../src/core/apiBaseUrl';

/** Which `devin.apiBaseUrl` values may receive the token, and what a person is told about the others. */

describe('accepted base URLs', () => {
  const accepted: Record<string, [string, string]> = {
    'the default': ['https://api.devin.ai', 'https://api.devin.ai'],
    'empty means the default': ['', DEFAULT_API_BASE_URL],
    'an enterprise host with a path': [
      'https://api.acme.devinenterprise.com/devin/',
      'https://api.acme.devinenterprise.com/devin',
    ],
    'a version copied from the docs is dropped': ['https://api.devin.ai/v3/', 'https://api.devin.ai'],
    'the sandbox on IPv4 loopback': ['http://127.0.0.1:43123', 'http://127.0.0.1:43123'],
    'IPv6 loopback': ['http://[::1]:8080', 'http://[::1]:8080'],
    'localhost, any case': ['http://LocalHost:9000/', 'http://localhost:9000'],
    'surrounding spaces': ['  https://api.devin.ai  ', 'https://api.devin.ai'],
  };
  for (const [name, [raw, baseUrl]] of Object.entries(accepted))
    test(name, () => {
      const result = parseApiBaseUrl(raw);
      assert.ok(result.ok, result.ok ? '' : result.problem);
      assert.equal(result.baseUrl, baseUrl);
      assert.equal(result.origin, new URL(baseUrl).origin);
    });

  test('the origin is scheme, host and port only', () => {
    const result = parseApiBaseUrl('https://API.devin.ai:443/x/');
    assert.ok(result.ok);
    assert.equal(result.origin, 'https://api.devin.ai');
    assert.equal(result.baseUrl, 'https://api.devin.ai/x');
  });
});

describe('rejected base URLs name the setting and what is wrong', () => {
  const rejected: Record<string, [string, RegExp]> = {
    'plain http to another machine': ['http://10.0.0.5:8080', /plain http:\/\/ to another machine.*use https:\/\//],
    'plain http to a public host': ['http://api.devin.ai', /plain http:\/\//],
    'a host that only starts like localhost': ['http://localhost.evil.example', /plain http:\/\//],
    'a loopback-looking DNS name': ['http://127.0.0.1.nip.io', /plain http:\/\//],
    'file:': ['file:///etc', /uses the file scheme: only https:\/\/ is supported/],
    'ftp:': ['ftp://api.devin.ai', /uses the ftp scheme/],
    'no scheme': ['api.devin.ai', /has no scheme: it must start with https:\/\//],
    'host and port without scheme': ['api.devin.ai:443', /has no scheme/],
    'a javascript: URL': ['javascript:alert(1)', /has no scheme/],
    'credentials in the URL': ['https://user:pw@api.devin.ai', /contains a user name or password/],
    'a query': ['https://api.devin.ai/?token=1', /contains a query/],
    'an empty query': ['https://api.devin.ai/?', /contains a query/],
    'a fragment': ['https://api.devin.ai/#x', /contains a fragment/],
    'not a URL at all': ['https://exa mple.com', /is not a valid URL/],
  };
  for (const [name, [raw, reason]] of Object.entries(rejected))
    test(name, () => {
      const result = parseApiBaseUrl(raw);
      assert.ok(!result.ok, `${raw} should be rejected`);
      assert.match(result.problem, /^The devin\.apiBaseUrl setting ".*" /);
      assert.match(result.problem, reason);
      assert.match(result.problem, /Nothing was sent/);
    });

  test('a password in the URL is not repeated in the message', () => {
    const result = parseApiBaseUrl('http://admin:hunter2@10.1.1.1');
    assert.ok(!result.ok);
    assert.ok(!result.problem.includes('hunter2'), result.problem);
    assert.ok(!result.problem.includes('admin'), result.problem);
  });
});
