import type { Session } from '../../src/core/models';

/** A running session with every field set, for the tests to override what they are about. */
export function sessionFixture(fields: Partial<Session> = {}): Session {
  return {
    id: 'devin-1',
    orgId: 'org-1',
    url: undefined,
    status: 'running',
    statusDetail: 'working',
    title: 'x',
    tags: [],
    createdAt: 1,
    updatedAt: 1,
    acusConsumed: 0,
    pullRequests: [],
    isArchived: false,
    origin: 'api',
    userId: undefined,
    serviceUserId: undefined,
    ...fields,
  };
}
