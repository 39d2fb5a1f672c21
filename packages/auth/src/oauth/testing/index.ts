export * from './start-fake-github';
export * from './start-test-oidc-provider';
