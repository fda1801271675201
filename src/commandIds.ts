/**
 * Every command id and context key the code uses, in one place. package.json contributes the same ids; a test
 * checks that the manifest and the registrations agree, so a renamed command cannot leave a dead menu entry.
 */

export const Command = {
  signIn: 'devin.signIn',
  signOut: 'devin.signOut',
  refresh: 'devin.refresh',
  createSession: 'devin.createSession',
  createSessionFromSelection: 'devin.createSessionFromSelection',
  sendMessage: 'devin.sendMessage',
  openSessionInBrowser: 'devin.openSessionInBrowser',
  openPullRequest: 'devin.openPullRequest',
  copySessionUrl: 'devin.copySessionUrl',
  copySessionId: 'devin.copySessionId',
  loadMoreSessions: 'devin.loadMoreSessions',
  retrySessionDraft: 'devin.retrySessionDraft',
  retryMessageDraft: 'devin.retryMessageDraft',
  showConsumption: 'devin.showConsumption',
  showLog: 'devin.showLog',
  showIdentity: 'devin.showIdentity',
  createOrganization: 'devin.createOrganization',
  createServiceUser: 'devin.createServiceUser',
  showAuditLog: 'devin.showAuditLog',
  loadMoreAuditLog: 'devin.loadMoreAuditLog',
  exportAuditLog: 'devin.exportAuditLog',
  createSchedule: 'devin.createSchedule',
  toggleSchedule: 'devin.toggleSchedule',
  deleteSchedule: 'devin.deleteSchedule',
  enableSchedule: 'devin.enableSchedule',
  disableSchedule: 'devin.disableSchedule',
  showScheduleRuns: 'devin.showScheduleRuns',
  editKnowledge: 'devin.editKnowledge',
  renameKnowledge: 'devin.renameKnowledge',
  deleteKnowledge: 'devin.deleteKnowledge',
  sendPromptToAllOrganizations: 'devin.sendPromptToAllOrganizations',
  addKnowledge: 'devin.addKnowledge',
  browseKnowledge: 'devin.browseKnowledge',
  sendComposed: 'devin.sendComposed',
  showConversation: 'devin.showConversation',
  openSession: 'devin.openSession',
  muteSession: 'devin.muteSession',
  unmuteSession: 'devin.unmuteSession',
  showWaitingSessions: 'devin.showWaitingSessions',
  archiveSession: 'devin.archiveSession',
  terminateSession: 'devin.terminateSession',
  editSessionTags: 'devin.editSessionTags',
  showArchivedSessions: 'devin.showArchivedSessions',
  hideArchivedSessions: 'devin.hideArchivedSessions',
  filterSessions: 'devin.filterSessions',
  clearSessionFilter: 'devin.clearSessionFilter',
  openSessionById: 'devin.openSessionById',
  copySessionLink: 'devin.copySessionLink',
  checkoutPullRequest: 'devin.checkoutPullRequest',
  showAttachments: 'devin.showAttachments',
} as const;

/**
 * Registered by the session panel, not here: notifications and the status bar run it when it exists and fall
 * back to Show Conversation otherwise.
 */
export const OPEN_SESSION_COMMAND = 'devin.openSession';

export type CommandId = (typeof Command)[keyof typeof Command];

/** Context keys set with `setContext`, matched by `when` clauses in package.json. */
export const ContextKey = {
  viewState: 'devin.viewState',
  signedIn: 'devin.signedIn',
  composing: 'devin.composing',
  showingArchived: 'devin.showingArchived',
  sessionsFiltered: 'devin.sessionsFiltered',
  /** What the signed-in token may do (false only when a probe got a 403); see src/auth/permissions.ts. */
  canManageOrganizations: 'devin.can.manageOrganizations',
  canManageServiceUsers: 'devin.can.manageServiceUsers',
  canViewAuditLog: 'devin.can.viewAuditLog',
  canViewBilling: 'devin.can.viewBilling',
  canManageSchedules: 'devin.can.manageSchedules',
  canViewKnowledge: 'devin.can.viewKnowledge',
} as const;
