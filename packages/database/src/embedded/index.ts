export { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './start-embedded-postgres';
