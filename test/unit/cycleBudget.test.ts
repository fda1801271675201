import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { fetchCycleBudget } from '../../src/api/cycleBudget';
import { DevinApiError } from '../../src/api/errors';
import { currentCycle, summarizeCycle } from '../../src/core/cycleBudget';
import { SANDBOX_ENTERPRISE_CYCLE_ACU_LIMIT } from '../sandbox/routes/acuLimits';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

const DAY = 86_400;

describe('billing cycle summary', () => {
  test('percent, level and days left against the limit', () => {
    const summary = summarizeCycle({ cycleStart: 0, cycleEnd: 30 * DAY, usedAcus: 850, limitAcus: 1000 }, 20 * DAY + 5);
    assert.equal(summary.percent, 85);
    assert.equal(summary.level, 'warning');
    assert.equal(summary.daysLeft, 9);
    assert.equal(summary.endDate, '1970-01-31');
    assert.match(summary.text, /^850 of 1,000 ACUs \(85%\) used this cycle; it ends 1970-01-31, in 9 days$/);
    assert.equal(summarizeCycle({ cycleStart: 0, cycleEnd: DAY, usedAcus: 1200, limitAcus: 1000 }, 0).level, 'over');
    assert.equal(summarizeCycle({ cycleStart: 0, cycleEnd: DAY, usedAcus: 10, limitAcus: 1000 }, 0).level, 'ok');
  });

  test('no limit: the usage without a percentage', () => {
    const summary = summarizeCycle({ cycleStart: 0, cycleEnd: DAY, usedAcus: 12.34, limitAcus: undefined }, 0);
    assert.equal(summary.percent, undefined);
    assert.equal(summary.level, 'unlimited');
    assert.match(summary.text, /^12\.3 ACUs used this cycle \(no limit\)/);
  });

  test('the cycle holding now, else the latest', () => {
    const cycles = [
      { after: 0, before: 10 },
      { after: 10, before: 20 },
    ];
    assert.deepEqual(currentCycle(cycles, 12), { after: 10, before: 20 });
    assert.deepEqual(currentCycle(cycles, 25), { after: 10, before: 20 });
    assert.equal(currentCycle([], 25), undefined);
  });
});

describe('reading the cycle from the sandbox', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());
  const client = (token: string) =>
    new DevinClient({ baseUrl: sandbox.baseUrl, apiVersion: 'v3', getToken: async () => token, timeoutMs: 5000 });

  test("the current cycle's bounds, the enterprise limit, and the ACUs used since the cycle began", async () => {
    const budget = await fetchCycleBudget(client(SANDBOX_TOKENS.enterpriseAdmin));
    assert.ok(budget);
    const now = Math.floor(Date.now() / 1000);
    assert.ok(budget.cycleStart <= now && now < budget.cycleEnd);
    assert.equal(budget.limitAcus, SANDBOX_ENTERPRISE_CYCLE_ACU_LIMIT);
    const daily = sandbox.requests.find((request) => request.path === '/v3/enterprise/consumption/daily');
    assert.equal(daily?.query.time_after, String(budget.cycleStart));
    assert.ok(budget.usedAcus > 0);
  });

  test('a member is told which permission it lacks', async () => {
    await assert.rejects(fetchCycleBudget(client(SANDBOX_TOKENS.member)), (error: unknown) => {
      assert.ok(error instanceof DevinApiError && error.kind === 'forbidden');
      assert.match(error.message, /ManageBilling/);
      return true;
    });
  });
});
