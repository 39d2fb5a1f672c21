export { createSession, type CreateSessionOptions, type SessionTokens } from './create-session';
export { describeUserAgent } from './describe-user-agent';
export { getActiveSession, isSessionUsable } from './get-active-session';
export { listSessions, type SessionSummary } from './list-sessions';
export { refreshSession, type RefreshSessionMeta } from './refresh-session';
export { revokeAllSessions, type RevokeAllSessionsOptions } from './revoke-all-sessions';
export { revokeSession, type RevokeSessionOptions, type SessionActor } from './revoke-session';
export type { ActiveSession } from './session-cache';
export {
  startSessionRevocationListener,
  type SessionRevocationListener,
  type StartSessionRevocationListenerOptions,
} from './start-session-revocation-listener';
