// CLI for out-of-process users (e2e tests, the demo): `node out/test/sandbox/main.js [--port N] [--step-ms N]`.

import { startSandbox } from './server';
import { SANDBOX_IDENTITIES, SANDBOX_MEMBER_ORG_IDS, SANDBOX_ORG_SERVICE_USER_ORG_ID } from './tokens';

function numberArg(name: string): number | undefined {
  const args = process.argv.slice(2);
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  const raw = inline ? inline.slice(name.length + 3) : args[args.indexOf(`--${name}`) + 1];
  if (!inline && !args.includes(`--${name}`)) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} expects a non-negative integer, got ${String(raw)}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: numberArg('port') ?? 0, sessionStepMs: numberArg('step-ms') });
  const t = sandbox.tokens;
  const lines = [
    `Devin API sandbox listening on ${sandbox.baseUrl}`,
    `  API base (beta, specification shapes): ${sandbox.baseUrl}/v3beta1`,
    `  API base (current schema):             ${sandbox.baseUrl}/v3`,
    `  Control API: ${sandbox.baseUrl}/_sandbox/{health,faults,requests,reset}`,
    '',
    'Demo tokens:',
    `  enterprise admin   ${t.enterpriseAdmin}`,
    `      every permission in every organization (orgs, audit logs, consumption, service users, impersonation)`,
    `  member (PAT)       ${t.member}`,
    `      ${SANDBOX_IDENTITIES.member.userName}: sessions, messages and knowledge reads in ${SANDBOX_MEMBER_ORG_IDS.join(', ')}; no org admin, billing or audit logs`,
    `  org service user   ${t.orgServiceUser}`,
    `      every org-level permission in ${SANDBOX_ORG_SERVICE_USER_ORG_ID} (incl. consumption); enterprise endpoints and other orgs -> 403`,
    `  expired            ${t.expired}`,
    '      always 401 (expired key)',
    '',
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
