import * as z from 'zod/mini';
import { MAX_MESSAGE_LENGTH, type PageToHost } from '../shared/sessionProtocol';

/**
 * The page is a separate, less trusted program (it renders text from the API): every message it sends is
 * checked here before the host acts on it, and anything outside the protocol is dropped.
 */

const shortText = z.string().check(z.maxLength(2_000));
const report = z.object({
  title: shortText,
  statusLabel: shortText,
  activity: z.enum(['working', 'waiting', 'none']),
  messageIds: z.array(shortText),
  pendingTexts: z.array(z.string().check(z.maxLength(MAX_MESSAGE_LENGTH))),
  hasOlder: z.boolean(),
  draft: z.string().check(z.maxLength(MAX_MESSAGE_LENGTH)),
  replyEnabled: z.boolean(),
  replyNotice: shortText,
  sendError: shortText,
  loadError: shortText,
  codeBlocks: z.number(),
  links: z.array(shortText),
  scrollTop: z.number(),
  scrollHeight: z.number(),
  atBottom: z.boolean(),
});

const pageToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('loadOlder'), beforeId: shortText }),
  z.object({
    type: z.literal('send'),
    sendId: z.string().check(z.minLength(1), z.maxLength(100)),
    text: z.string().check(z.minLength(1), z.maxLength(MAX_MESSAGE_LENGTH)),
  }),
  z.object({ type: z.literal('openLink'), url: shortText }),
  z.object({ type: z.literal('retry') }),
  z.object({ type: z.literal('rendered'), report }),
]);

export function parsePageMessage(value: unknown): PageToHost | undefined {
  const parsed = pageToHost.safeParse(value);
  return parsed.success ? (parsed.data as PageToHost) : undefined;
}

/** Links from the conversation open outside VS Code, and only over https. */
export function safeExternalUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return undefined;
  return url.toString();
}
