import * as l10n from '@vscode/l10n';

/**
 * The current billing cycle against the enterprise's ACU limit: what the consumption panel's progress
 * bar and the status bar item show.
 */

export interface CycleBudget {
  /** Unix seconds: the cycle's bounds as the API gives them. */
  readonly cycleStart: number;
  readonly cycleEnd: number;
  readonly usedAcus: number;
  /** Undefined when the enterprise has no limit (or the token cannot read it). */
  readonly limitAcus: number | undefined;
}

export interface CycleBudgetSummary {
  /** 0–100+ (over the limit shows more than 100); undefined without a limit. */
  readonly percent: number | undefined;
  readonly level: 'ok' | 'warning' | 'over' | 'unlimited';
  /** Whole days until the cycle ends (0 on its last day). */
  readonly daysLeft: number;
  readonly text: string;
  readonly endDate: string;
}

const WARNING_PERCENT = 80;

export function summarizeCycle(budget: CycleBudget, nowSeconds: number): CycleBudgetSummary {
  const endDate = new Date(budget.cycleEnd * 1000).toISOString().slice(0, 10);
  const daysLeft = Math.max(0, Math.floor((budget.cycleEnd - nowSeconds) / 86_400));
  const used = formatAcus(budget.usedAcus);
  if (budget.limitAcus === undefined || budget.limitAcus <= 0) {
    return {
      percent: undefined,
      level: 'unlimited',
      daysLeft,
      endDate,
      text: l10n.t('{0} ACUs used this cycle (no limit); the cycle ends {1}', used, endDate),
    };
  }
  const percent = (budget.usedAcus / budget.limitAcus) * 100;
  const level = percent >= 100 ? 'over' : percent >= WARNING_PERCENT ? 'warning' : 'ok';
  return {
    percent,
    level,
    daysLeft,
    endDate,
    text:
      daysLeft === 1
        ? l10n.t(
            '{0} of {1} ACUs ({2}%) used this cycle; it ends {3}, in 1 day',
            used,
            formatAcus(budget.limitAcus),
            Math.floor(percent),
            endDate,
          )
        : l10n.t(
            '{0} of {1} ACUs ({2}%) used this cycle; it ends {3}, in {4} days',
            used,
            formatAcus(budget.limitAcus),
            Math.floor(percent),
            endDate,
            daysLeft,
          ),
  };
}

/** The cycle that holds `now`, or else the latest one (a cycle list can lag behind the calendar). */
export function currentCycle(
  cycles: readonly { readonly after: number; readonly before: number }[],
  nowSeconds: number,
): { readonly after: number; readonly before: number } | undefined {
  return (
    cycles.find((cycle) => cycle.after <= nowSeconds && nowSeconds < cycle.before) ??
    [...cycles].sort((a, b) => b.before - a.before)[0]
  );
}

function formatAcus(value: number): string {
  return (Math.round(value * 10) / 10).toLocaleString('en-US');
}
