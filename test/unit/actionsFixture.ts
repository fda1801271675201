import { after, afterEach, before, beforeEach } from 'node:test';
import { DevinClient } from '../../src/api/client';
import type { Ui } from '../../src/actions/ui';
import { DraftStore, type Draft } from '../../src/core/drafts';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

/**
 * A Ui for driving the actions in plain Node: drafts in memory, a clock that moves only when told, progress
 * recorded (and cancellable on demand), notifications answered by the test.
 */

export class FakeClock {
  constructor(public ms = Date.UTC(2026, 11, 7, 12, 0, 0)) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface FakeUi extends Ui {
  readonly shown: { title: string; reports: string[] }[];
  /** What is stored, as VS Code's workspace state would hold it. */
  readonly stored: Draft[];
  /** Set to cancel the next cancellable progress as soon as it starts, as a press on Cancel would. */
  cancelNext: boolean;
}

export function fakeUi(clock: FakeClock, files: Record<string, Uint8Array> = {}): FakeUi {
  const stored: Draft[] = [];
  const ui: FakeUi = {
    shown: [],
    stored,
    cancelNext: false,
    drafts: new DraftStore(
      {
        read: () => [...stored],
        write: (drafts) => void stored.splice(0, stored.length, ...drafts),
      },
      clock.now,
    ),
    now: clock.now,
    progress: async (options, task) => {
      const shown = { title: options.title, reports: [] as string[] };
      ui.shown.push(shown);
      const controller = new AbortController();
      if (options.cancellable && ui.cancelNext) {
        ui.cancelNext = false;
        controller.abort();
      }
      return task((message) => void shown.reports.push(message), controller.signal);
    },
    readFile: async (file) => {
      const bytes = files[file];
      if (!bytes) throw new Error(`ENOENT: ${file}`);
      return bytes;
    },
  };
  return ui;
}

export function sandboxClient(
  sandbox: Sandbox,
  options: { timeoutMs?: number; clock?: FakeClock; token?: keyof typeof SANDBOX_TOKENS } = {},
): DevinClient {
  return new DevinClient({
    baseUrl: sandbox.baseUrl,
    apiVersion: 'v3',
    getToken: async () => SANDBOX_TOKENS[options.token ?? 'enterpriseAdmin'],
    timeoutMs: options.timeoutMs ?? 5000,
    // Back-off waits are not slept: the retry policy shows in the requests, and the tests stay fast. With a
    // clock, the wait moves it instead, so that what the sandbox stamps afterwards is dated after the wait.
    sleep: async (ms) => options.clock?.advance(ms),
  });
}

/** The requests that would create or deliver something: POSTs to the API, by path. */
export function posts(sandbox: Sandbox, pathEnd: string): number {
  return sandbox.requests.filter((request) => request.method === 'POST' && request.path.endsWith(pathEnd)).length;
}

/** What a test file of the actions works on: read `sandbox` and `ui` inside tests and hooks, not at load time. */
export interface ActionsBench {
  readonly clock: FakeClock;
  readonly sandbox: Sandbox;
  readonly ui: FakeUi;
}

/**
 * Registers the hooks every test file of the actions shares: one sandbox on one fake clock for the file, a fresh
 * Ui (with `files` to attach) before each test, and the sandbox back to its seed after each. Call it before the
 * file's own hooks, which then see the new Ui.
 */
export function actionsOnSandbox(files: Record<string, Uint8Array> = {}): ActionsBench {
  const clock = new FakeClock();
  let sandbox: Sandbox | undefined;
  let ui: FakeUi | undefined;
  before(async () => {
    sandbox = await startSandbox({ now: clock.now });
  });
  after(() => sandbox?.close());
  beforeEach(() => {
    ui = fakeUi(clock, files);
  });
  afterEach(() => sandbox?.reset());
  return {
    clock,
    get sandbox(): Sandbox {
      if (!sandbox) throw new Error('the sandbox starts in the before hook');
      return sandbox;
    },
    get ui(): FakeUi {
      if (!ui) throw new Error('the Ui is made in the beforeEach hook');
      return ui;
    },
  };
}
