import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { server: 'src/server.ts' },
  outDir: 'dist',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  // Internal packages export TypeScript source, so they are compiled into the bundle. Every npm
  // package stays external and is resolved from node_modules at run time, including those only
  // the internal packages depend on (pg, drizzle-orm, pino): tsup's default would bundle them.
  noExternal: [/^@switchyard\//],
  skipNodeModulesBundle: true,
  sourcemap: true,
  clean: true,
  splitting: false,
});
