import type { PageToHost } from '../shared/consumptionProtocol';
import type * as ConsumptionPageSchema from './consumptionPageSchema';

/**
 * The page is a separate, less trusted program (it draws names from the API): every message it sends is checked
 * here, against its one schema, before the host acts on it, and anything outside the protocol is dropped.
 */

let pageSchema: typeof ConsumptionPageSchema | undefined;

export function parseConsumptionPageMessage(value: unknown): PageToHost | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  pageSchema ??= require('./consumptionPageSchema') as typeof ConsumptionPageSchema;
  const parsed = pageSchema.pageToHost.safeParse(value);
  return parsed.success ? (parsed.data as PageToHost) : undefined;
}
