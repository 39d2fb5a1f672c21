import { defineConfig } from 'drizzle-kit';

// `npm run generate -w @switchyard/database -- --name <change>` writes a reviewed SQL file to
// ./migrations; `runMigrations` (src/migrate.ts) applies them. drizzle-kit never touches a database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  strict: true,
  verbose: true,
});
