import * as z from 'zod/mini';
import { MAX_MESSAGE_LENGTH } from '../shared/sessionProtocol';

// What the session page may send, checked by ./sessionMessages.ts. Kept apart so that zod and these schemas are
// evaluated when the first page message arrives, not when the extension loads.

const shortText = z.string().check(z.maxLength(2_000));
const report = z.object({
  // The session's title as the host gave it, which the API does not bound; a message's bound still holds a flood off.
  title: z.string().check(z.maxLength(MAX_MESSAGE_LENGTH)),
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

export const pageToHost = z.discriminatedUnion('type', [
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
