import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { main: 'src/main.ts' },
  outDir: 'dist',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  // Internal packages export TypeScript source, so they are compiled into the bundle. Every other
  // bare import (bullmq, pg, pino, ... including the internal packages' own dependencies) stays
  // external and is loaded from node_modules at run time.
  noExternal: [/^@switchyard\//],
  skipNodeModulesBundle: true,
  sourcemap: true,
  clean: true,
  splitting: false,
});
