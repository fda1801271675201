// Benchmark, not a test: how long evaluating the shipped dist/extension.js takes, which VS Code pays before activate()
// runs when the Devin view first opens. Each sample is a fresh Node process (nothing cached in the module registry)
// with a stubbed `vscode` module, timing one require() of the bundle. An empty module is measured the same way in
// the same run, alternating with the bundle, so the difference is the bundle's own cost on this machine today.
// The bundle that is required on the first request (dist/undici.js) is timed the same way, for information.
// Reports only: the exit code is non-zero when a sample crashes, never because the goal was missed.
// Run: node esbuild.js --production && npx tsc -p test/tsconfig.json && node out/test/bench/activation.bench.js [--runs 9]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './stats';

const GOAL_MS = 15;
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const bundle = path.join(repoRoot, 'dist', 'extension.js');
const deferredBundle = path.join(repoRoot, 'dist', 'undici.js');

/** In the child: a `vscode` that answers every property, call and `new` (enough for top-level `extends`). */
function sample(target: string): void {
  const stub: unknown = new Proxy(function vscodeStub() {}, {
    get: (_target, key) => (key === 'prototype' ? {} : stub),
    apply: () => stub,
    construct: () => stub as object,
  });
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(target) as Record<string, unknown>;
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const result: Sample = { elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, exports: Object.keys(exports) };
  process.stdout.write(JSON.stringify(result));
}

interface Sample {
  readonly elapsedMs: number;
  /** CPU time of the sampling process: on a busy machine, less disturbed by other processes than the wall clock. */
  readonly cpuMs: number;
  readonly exports: string[];
}

function measure(target: string): Sample {
  const output = execFileSync(process.execPath, [__filename, '--sample', target], { encoding: 'utf8' });
  return JSON.parse(output) as Sample;
}

function main(): void {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = Math.max(9, runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 9);
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing; run node esbuild.js --production first`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'devin-activation-bench-'));
  const emptyModule = path.join(scratch, 'empty.js');
  fs.writeFileSync(emptyModule, 'module.exports = {};\n');
  const cases = [
    { name: 'empty module', file: emptyModule },
    { name: 'dist/extension.js', file: bundle },
    ...(fs.existsSync(deferredBundle) ? [{ name: 'dist/undici.js', file: deferredBundle }] : []),
  ].map((entry) => ({ ...entry, samples: [] as Sample[] }));
  try {
    const firstLoad = measure(bundle);
    if (!firstLoad.exports.includes('activate')) {
      throw new Error(`${bundle} exports ${firstLoad.exports.join(', ') || 'nothing'}, not activate`);
    }
    // The first round warms the file cache and is not counted; then the cases alternate, so drift in the machine's
    // load affects each of them alike.
    for (let run = -1; run < runs; run += 1) {
      for (const entry of cases) {
        const result = measure(entry.file);
        if (run >= 0) entry.samples.push(result);
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const medians = cases.map((entry) => ({
    ...entry,
    wall: median(entry.samples.map((sample) => sample.elapsedMs)),
    cpu: median(entry.samples.map((sample) => sample.cpuMs)),
  }));
  const [empty, extension, deferred] = medians as [(typeof medians)[0], (typeof medians)[0], (typeof medians)[0]?];
  const difference = extension.wall - empty.wall;
  const cell = (ms: number) => ms.toFixed(2).padStart(8);
  const kib = (file: string) => `${(fs.statSync(file).size / 1024).toFixed(1)} KiB`;
  console.log(`activation benchmark: require() with a stubbed vscode, median of ${runs} fresh processes (ms)`);
  console.log(
    `node ${process.version}, load average ${os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')} on ${os.cpus().length} CPUs`,
  );
  console.log('case                     wall       cpu');
  console.log(`${empty.name.padEnd(20)} ${cell(empty.wall)}  ${cell(empty.cpu)}`);
  console.log(`${extension.name.padEnd(20)} ${cell(extension.wall)}  ${cell(extension.cpu)}  ${kib(bundle)}`);
  console.log(
    `${'difference'.padEnd(20)} ${cell(difference)}  ${cell(extension.cpu - empty.cpu)}  module evaluation at activation`,
  );
  if (deferred) {
    console.log(
      `${deferred.name.padEnd(20)} ${cell(deferred.wall - empty.wall)}  ${cell(deferred.cpu - empty.cpu)}  ${kib(deferredBundle)}, on the first request`,
    );
  }
  console.log(`goal: difference ≤ ${GOAL_MS} ms (wall): ${difference <= GOAL_MS ? 'met' : 'MISSED'}`);
}

if (process.argv[2] === '--sample') {
  sample(process.argv[3] as string);
} else {
  try {
    main();
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
