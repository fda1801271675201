// Fixed credentials and identities of the sandbox. They are deliberately constant so tests, the demo
// and screenshots can refer to them; they are worthless outside the sandbox.

export interface SandboxTokens {
  /** Enterprise service user with every permission in every organization. */
  readonly enterpriseAdmin: string;
  /** Personal access token of a human member of two organizations (no admin rights). */
  readonly member: string;
  /** Service user bound to one organization with every org-level permission there. */
  readonly orgServiceUser: string;
  /** Well-formed token whose key has expired: always answered with 401. */
  readonly expired: string;
  /** Service user bound to one organization that may read sessions but not change them (no ManageOrgSessions). */
  readonly orgViewer: string;
}

export const SANDBOX_TOKENS: SandboxTokens = Object.freeze({
  enterpriseAdmin: 'cog_sandbox_enterprise_admin_0001_a7f3c9e2b4d6f8a1',
  member: 'cog_sandbox_member_pat_0002_5b8e1d4f7a2c9e6b3d0f',
  orgServiceUser: 'cog_sandbox_org_service_user_0003_c2e9f4a7b1d8e5f2',
  expired: 'cog_sandbox_expired_key_0004_e6b3a9d2f5c8e1b4a7d0',
  orgViewer: 'cog_sandbox_org_viewer_0005_d4a8c1f6e3b9a2d7c5e0',
});

export const SANDBOX_ORG_IDS = Object.freeze({
  /** Large organization (250+ sessions); home of the org service user; the member belongs to it. */
  acme: 'org-5f2c8a1e9b3d4c7f8a6e2b1d9c3f7a40',
  /** Medium organization; the member belongs to it. */
  globex: 'org-b7e4d1a9c2f64e8b9a3d5c7e1f2a4b60',
  /** Organization whose name is an HTML/script payload, for escaping tests. */
  xss: 'org-9d3e7f1a5c8b4d2e6f9a1c3b5d7e8f20',
  /** Organization with no sessions, notes or consumption, for empty states. */
  empty: 'org-1a2b3c4d5e6f4a7b8c9d0e1f2a3b4c50',
});

export const SANDBOX_ORG_SERVICE_USER_ORG_ID: string = SANDBOX_ORG_IDS.acme;
export const SANDBOX_MEMBER_ORG_IDS: readonly string[] = Object.freeze([SANDBOX_ORG_IDS.acme, SANDBOX_ORG_IDS.globex]);

export const SANDBOX_IDENTITIES = Object.freeze({
  enterpriseAdmin: { serviceUserId: 'service-user-sandbox-enterprise-admin', name: 'sandbox-enterprise-admin' },
  member: {
    userId: 'user-sandbox-mia',
    userName: 'Mia Member',
    email: 'mia.member@example.com',
    apiKeyId: 'pat-sandbox-mia-0002',
    apiKeyName: 'vscode-laptop',
  },
  orgServiceUser: { serviceUserId: 'service-user-sandbox-acme-ci', name: 'acme-ci-bot' },
  orgViewer: { serviceUserId: 'service-user-sandbox-acme-viewer', name: 'acme-read-only' },
});
