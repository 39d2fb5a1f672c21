export {
  buildOAuthProviderConfigs,
  getOAuthCallbackUrl,
  isAllowedProviderUrl,
  type OAuthProviderSettings,
} from './config';
export {
  completeOAuthLogin,
  type CompleteOAuthLoginOptions,
  type CompleteOAuthLoginResult,
} from './complete-oauth-login';
export { listOAuthProviders, type OAuthProviderSummary } from './list-oauth-providers';
export type { OAuthIdentity } from './oauth-client';
export { OAUTH_STATE_COOKIE, OAUTH_STATE_TTL_SECONDS } from './oauth-state';
export { parseRedirectTo } from './parse-redirect-to';
export {
  resolveOAuthUser,
  type ResolvedOAuthUser,
  type ResolveOAuthUserOptions,
} from './resolve-oauth-user';
export {
  startOAuthLogin,
  type StartOAuthLoginOptions,
  type StartOAuthLoginResult,
} from './start-oauth-login';
