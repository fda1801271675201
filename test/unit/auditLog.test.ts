import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditLogMarkdown, auditLogToCsv, auditLogToJson, suggestedAuditLogFileName } from '../../src/core/auditLog';
import type { AuditLogEntry } from '../../src/core/models';
import { knownSecrets, redactSecrets } from '../../src/core/redaction';

const entries: AuditLogEntry[] = [
  {
    id: 'a1',
    action: 'create_session',
    createdAt: 1_767_225_600,
    orgId: 'org-1',
    userId: 'user-1',
    userEmail: 'mia@example.com',
    serviceUserId: undefined,
    serviceUserName: undefined,
    data: { session_id: 'devin-1' },
  },
  {
    id: 'a2',
    action: 'odd|action\nname',
    createdAt: undefined,
    orgId: undefined,
    userId: undefined,
    userEmail: undefined,
    serviceUserId: 'su-1',
    serviceUserName: '=HYPERLINK("http://evil.example","x")',
  },
];
const filters = { from: 1_767_139_200, to: 1_767_225_600, action: 'create_session', orgId: 'org-1' };

test('audit log Markdown: a row per event with who, where and its data; filters and "more" are said', () => {
  const markdown = auditLogMarkdown(entries, filters, true);
  assert.ok(
    markdown.includes(
      '2 events from 2025-12-31 00:00 to 2026-01-01 00:00 UTC, newest first. Only action `create_session`, organization `org-1`.',
    ),
  );
  assert.ok(markdown.includes('Load More Audit Log Events'));
  assert.ok(
    markdown.includes('| 2026-01-01 00:00 | create_session | mia@example.com | org-1 | {"session_id":"devin-1"} |'),
  );
  assert.ok(markdown.includes('|  | odd\\|action name | =HYPERLINK("http://evil.example","x") |  |  |'));
  assert.doesNotMatch(auditLogMarkdown(entries, filters, false), /Load More/);
  assert.match(auditLogMarkdown([], { from: 0, to: 60 }, false), /No events in this window\./);
});

test('a long data object is cut in the table, never in the exports', () => {
  const long = { ...entries[0], data: { text: 'x'.repeat(500) } } as AuditLogEntry;
  assert.ok(auditLogMarkdown([long], filters, false).includes(`${'x'.repeat(100)}`));
  assert.ok(!auditLogMarkdown([long], filters, false).includes('x'.repeat(250)));
  assert.ok(auditLogToCsv([long]).includes('x'.repeat(500)));
  assert.ok(auditLogToJson([long], filters).includes('x'.repeat(500)));
});

test('audit log CSV: a header, CRLF rows, quoted data, and formulas defused', () => {
  const csv = auditLogToCsv(entries);
  const lines = csv.split('\r\n');
  assert.equal(
    lines[0],
    'created_at_utc,action,org_id,user_email,user_id,service_user_name,service_user_id,audit_log_id,data',
  );
  assert.equal(
    lines[1],
    '2026-01-01T00:00:00.000Z,create_session,org-1,mia@example.com,user-1,,,a1,"{""session_id"":""devin-1""}"',
  );
  assert.ok(lines[2]?.includes(`"'=HYPERLINK(""http://evil.example"",""x"")"`), lines[2]);
  assert.equal(lines.at(-1), '');
});

test("audit log JSON: the API's field names, the filters, and every event's data", () => {
  const parsed = JSON.parse(auditLogToJson(entries, filters)) as {
    action: string;
    org_id: string;
    items: { audit_log_id: string; data: unknown; created_at: number | null }[];
  };
  assert.equal(parsed.action, 'create_session');
  assert.equal(parsed.org_id, 'org-1');
  assert.deepEqual(parsed.items[0]?.data, { session_id: 'devin-1' });
  assert.deepEqual(parsed.items[1]?.data, {});
  assert.equal(parsed.items[1]?.created_at, null);
});

test('export file names carry the period and the action, with nothing unsafe', () => {
  assert.equal(
    suggestedAuditLogFileName(filters, 'csv'),
    'devin-audit-log-2025-12-31-to-2026-01-01-create_session.csv',
  );
  assert.equal(
    suggestedAuditLogFileName({ from: 0, to: 86_400, action: '../x' }, 'json'),
    'devin-audit-log-1970-01-01-to-1970-01-02-___x.json',
  );
});

test('exports hide credentials as the document on screen does: the signed-in token in any form, and any cog_ key', () => {
  const signedIn = 'cog_signedInSecret0123';
  knownSecrets.add(signedIn);
  const other = 'cog_otherKey987654321';
  const leaky: AuditLogEntry[] = [
    {
      id: 'a3',
      action: 'create_service_user_api_key',
      createdAt: 1_767_225_600,
      orgId: 'org-1',
      userId: undefined,
      userEmail: undefined,
      serviceUserId: 'su-2',
      serviceUserName: `bot ${other}`,
      data: {
        api_key: other,
        header: `Authorization: Basic ${Buffer.from(`Bearer ${signedIn}`).toString('base64')}`,
        echoed: encodeURIComponent(signedIn),
      },
    },
  ];
  const secretParts = [signedIn.slice(4), other.slice(4), Buffer.from(`Bearer ${signedIn}`).toString('base64')];
  const onScreen = redactSecrets(auditLogMarkdown(leaky, filters, false));
  for (const exported of [auditLogToCsv(leaky), auditLogToJson(leaky, filters), onScreen])
    for (const part of secretParts) assert.ok(!exported.includes(part.slice(0, 16)), `${part} in ${exported}`);
  const json = JSON.parse(auditLogToJson(leaky, filters)) as { items: { data: Record<string, string> }[] };
  assert.equal(json.items[0]?.data.api_key, 'cog_…', 'the file is still valid JSON, with the key hidden');
  assert.match(auditLogToCsv(leaky), /,bot cog_…,su-2,a3,/);
});
