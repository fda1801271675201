/**
 * The one message vocabulary between the session panel's host side (src/webview/sessionPanel.ts) and its
 * page (src/webview-ui/session.ts). Everything here survives structured cloning: plain objects, arrays,
 * strings, numbers and booleans. The host shapes and formats; the page renders text it is given.
 */

/** The tone names of src/core/sessionPresentation.ts; the page colours the status dot from them. */
export type SessionTone = 'working' | 'attention' | 'done' | 'paused' | 'failed' | 'idle' | 'unknown';

export interface SessionPullRequestView {
  readonly url: string;
  /** `owner/repo#42` where the URL allows it, else the URL. */
  readonly name: string;
  readonly state: string | undefined;
}

/** What the header, the activity line and the reply box show. */
export interface SessionHeaderView {
  readonly id: string;
  readonly orgId: string;
  readonly organizationName: string;
  /** Straight from the API: rendered as text only. */
  readonly title: string;
  readonly status: { readonly label: string; readonly tone: SessionTone; readonly color: string | undefined };
  /** Devin is busy: "Devin is working…". */
  readonly working: boolean;
  /** Devin is blocked on the user: "Devin is waiting for you". */
  readonly waiting: boolean;
  readonly acus: string | undefined;
  readonly created: string | undefined;
  readonly updated: string | undefined;
  readonly tags: readonly string[];
  readonly pullRequests: readonly SessionPullRequestView[];
  readonly url: string | undefined;
  /** Undefined when the session takes messages; otherwise why the reply box is disabled. */
  readonly replyDisabledReason: string | undefined;
  /** Shown under the reply box, e.g. that sending resumes a suspended session. */
  readonly replyHint: string | undefined;
}

export interface ChatMessageView {
  readonly id: string;
  /** `devin` or `user` today; anything else renders like Devin's side, labelled with its source. */
  readonly source: string;
  /** Markdown (rendered with HTML disabled): Devin writes it, and prompts carry fenced code too. */
  readonly text: string;
  /** Unix seconds. */
  readonly createdAt: number | undefined;
}

/** What the page keeps in `setState`; the panel serializer reads the ids back after a window reload. */
export interface SessionPageState {
  readonly orgId: string;
  readonly sessionId: string;
  /** What the user has typed and not sent. */
  readonly draft: string;
  /** A message sent but not yet confirmed by the API; put back in the reply box if the page reloads first. */
  readonly pending?: string;
}

export type HostToPage =
  /** Sent once per page load, before anything else, so the page can save its ids for the serializer. */
  | { readonly type: 'init'; readonly orgId: string; readonly sessionId: string }
  | { readonly type: 'session'; readonly session: SessionHeaderView }
  /**
   * `replace`: the newest messages, the conversation as the page should show it now. `append`: messages that
   * arrived after the newest one the page has. `prepend`: the page asked for older messages.
   */
  | {
      readonly type: 'messages';
      readonly mode: 'replace' | 'append' | 'prepend';
      readonly messages: readonly ChatMessageView[];
      readonly hasOlder: boolean;
    }
  | { readonly type: 'loadError'; readonly message: string }
  | { readonly type: 'sendResult'; readonly sendId: string; readonly ok: true }
  | { readonly type: 'sendResult'; readonly sendId: string; readonly ok: false; readonly error: string }
  /**
   * Sent only by the test-only debug command, acting as a person would: types into the reply box (and sends
   * with Ctrl+Enter), or scrolls the conversation.
   */
  | { readonly type: 'debugInput'; readonly text?: string; readonly submit?: boolean; readonly scrollTop?: number };

/** What the page reports after each render; the integration tests read it through the debug command. */
export interface RenderedSession {
  readonly title: string;
  readonly statusLabel: string;
  readonly activity: 'working' | 'waiting' | 'none';
  /** Ids of the rendered messages, oldest first; pending sends are counted apart. */
  readonly messageIds: readonly string[];
  readonly pendingTexts: readonly string[];
  readonly hasOlder: boolean;
  readonly draft: string;
  readonly replyEnabled: boolean;
  readonly replyNotice: string;
  readonly sendError: string;
  readonly loadError: string;
  readonly codeBlocks: number;
  readonly links: readonly string[];
  readonly scrollTop: number;
  readonly scrollHeight: number;
  readonly atBottom: boolean;
}

export type PageToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'loadOlder'; readonly beforeId: string }
  | { readonly type: 'send'; readonly sendId: string; readonly text: string }
  | { readonly type: 'openLink'; readonly url: string }
  | { readonly type: 'retry' }
  | { readonly type: 'rendered'; readonly report: RenderedSession };

/** Longer than any message a person types; the page is less trusted than the host and must not flood it. */
export const MAX_MESSAGE_LENGTH = 100_000;
