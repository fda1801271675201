import * as z from 'zod/mini';
import { PRESET_DAYS } from '../shared/consumptionProtocol';

// What the consumption page may send, checked by ./consumptionMessages.ts. Kept apart so that zod and these schemas
// are evaluated when the first page message arrives, not when the extension loads.

const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const range = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('preset'), days: z.union(PRESET_DAYS.map((days) => z.literal(days))) }),
  z.object({ kind: z.literal('custom'), start: day, end: day }),
]);
// What the page drew, read by the panel's debug state only; its fields are the page's own business.
const report = z.looseObject({});

export const pageToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), range }),
  z.object({ type: z.literal('setRange'), range }),
  z.object({ type: z.literal('retry'), range }),
  z.object({ type: z.literal('retrySessions'), range }),
  z.object({ type: z.literal('exportCsv'), splitByProduct: z.boolean() }),
  z.object({ type: z.literal('copyCsv'), splitByProduct: z.boolean() }),
  // A session link of the table: the host opens it only if it listed that session itself.
  z.object({
    type: z.literal('openSession'),
    orgId: z.string().check(z.minLength(1), z.maxLength(200)),
    sessionId: z.string().check(z.regex(/^devin-[\w-]{1,100}$/)),
  }),
  z.object({ type: z.literal('rendered'), report }),
  z.object({ type: z.literal('sessionsRendered'), report }),
  z.object({ type: z.literal('budgetShown'), value: z.nullable(z.number()), text: z.string() }),
]);
