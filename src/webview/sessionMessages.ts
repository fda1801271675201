import type { PageToHost } from '../shared/sessionProtocol';
import type * as SessionPageSchema from './sessionPageSchema';

/**
 * The page is a separate, less trusted program (it renders text from the API): every message it sends is
 * checked here before the host acts on it, and anything outside the protocol is dropped.
 */

let pageSchema: typeof SessionPageSchema | undefined;

export function parsePageMessage(value: unknown): PageToHost | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  pageSchema ??= require('./sessionPageSchema') as typeof SessionPageSchema;
  const parsed = pageSchema.pageToHost.safeParse(value);
  return parsed.success ? (parsed.data as PageToHost) : undefined;
}
