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
  sendPromptToAllOrganizations: 'devin.sendPromptToAllOrganizations',
  addKnowledge: 'devin.addKnowledge',
  browseKnowledge: 'devin.browseKnowledge',
  sendComposed: 'devin.sendComposed',
  showConversation: 'devin.showConversation',
  openSession: 'devin.openSession',
} as const;

export type CommandId = (typeof Command)[keyof typeof Command];

/** Context keys set with `setContext`, matched by `when` clauses in package.json. */
export const ContextKey = {
  viewState: 'devin.viewState',
  signedIn: 'devin.signedIn',
  composing: 'devin.composing',
} as const;
