import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  copySources,
  finalStage,
  instructionsOf,
  parseDockerfile,
  type Dockerfile,
  type Stage,
} from '../testing/dockerfile';
import { repoPath } from '../testing/repo';

type Image = {
  file: string;
  workspace: string;
  /** The setting that makes the app listen on every interface inside the container. */
  listenSetting: string;
  command: string[];
};

const IMAGES: Image[] = [
  {
    file: 'Dockerfile.api',
    workspace: '@switchyard/api',
    listenSetting: 'API_HOST=0.0.0.0',
    command: ['node', 'apps/api/dist/server.js'],
  },
  {
    file: 'Dockerfile.workers',
    workspace: '@switchyard/workers',
    listenSetting: 'WORKERS_HEALTH_HOST=0.0.0.0',
    command: ['node', 'apps/workers/dist/main.js'],
  },
  {
    file: 'Dockerfile.web',
    workspace: '@switchyard/web',
    listenSetting: 'HOSTNAME=0.0.0.0',
    command: ['node', 'apps/web/server.js'],
  },
];

const SECRET_NAME = /SECRET|PASSWORD|TOKEN|PRIVATE|_KEY\b|_KEY_ID\b/i;

function load(file: string): Dockerfile {
  return parseDockerfile(readFileSync(repoPath('infrastructure/docker', file), 'utf8'));
}

function stageNamed(dockerfile: Dockerfile, name: string): Stage {
  const stage = dockerfile.stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`no stage named ${name}`);
  return stage;
}

/** `KEY=value` pairs of a stage's ENV instructions (the `KEY=value` form only). */
function environmentOf(stage: Stage): string[] {
  return instructionsOf(stage, 'ENV').flatMap((env) => env.args.split(/\s+/));
}

describe.each(IMAGES)('infrastructure/docker/$file', (image) => {
  const dockerfile = load(image.file);
  const runtime = finalStage(dockerfile);
  const allInstructions = dockerfile.stages.flatMap((stage) => stage.instructions);

  it('builds in separate stages and runs on node:20-bookworm-slim', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3);
    expect(runtime.from).toBe('node:20-bookworm-slim');
  });

  it('runs the app as a user other than root', () => {
    const user = instructionsOf(runtime, 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('declares a healthcheck that asks the app over HTTP', () => {
    const healthchecks = instructionsOf(runtime, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    expect(healthchecks[0]?.args).toMatch(/\bCMD\b.*healthcheck\.mjs.*http:\/\/127\.0\.0\.1:/);
  });

  it('runs in production mode, listening on every interface of the container', () => {
    expect(environmentOf(runtime)).toEqual(
      expect.arrayContaining(['NODE_ENV=production', image.listenSetting]),
    );
  });

  it('starts the app with node in exec form, so it receives SIGTERM itself', () => {
    const cmd = instructionsOf(runtime, 'CMD').at(-1)?.args ?? '';
    expect(JSON.parse(cmd)).toEqual(image.command);
  });

  it('installs with npm ci from the lockfile, never npm install', () => {
    const runs = allInstructions.filter((instruction) => instruction.keyword === 'RUN');
    expect(runs.some((run) => /\bnpm ci\b/.test(run.args))).toBe(true);
    // `npm install -g` of the pinned npm itself is the only install allowed.
    for (const run of runs) expect(run.args).not.toMatch(/\bnpm (install|i)\b(?! -g)/);
  });

  it('builds the workspace with turbo', () => {
    const build = instructionsOf(stageNamed(dockerfile, 'build'), 'RUN').map((run) => run.args);
    expect(build.join('\n')).toContain(`turbo run build --filter=${image.workspace}`);
  });

  it('downloads nothing with ADD', () => {
    for (const instruction of allInstructions) {
      if (instruction.keyword === 'ADD') expect(instruction.args).not.toMatch(/https?:\/\//i);
    }
  });

  it('copies from the build context only files that exist in the repository', () => {
    const copies = allInstructions.filter((instruction) => instruction.keyword === 'COPY');
    for (const copy of copies) {
      const { from, sources } = copySources(copy);
      if (from !== undefined) continue;
      for (const source of sources) {
        expect(existsSync(repoPath(source)), `${image.file}:${copy.line} copies ${source}`).toBe(
          true,
        );
      }
    }
  });

  it('takes no secrets as build arguments or image environment (SECURITY.md 33)', () => {
    for (const instruction of allInstructions) {
      if (instruction.keyword !== 'ARG' && instruction.keyword !== 'ENV') continue;
      const names = instruction.args.split(/\s+/).map((pair) => pair.split('=')[0] ?? '');
      for (const name of names) expect(name).not.toMatch(SECRET_NAME);
    }
    for (const name of dockerfile.globalArgs.keys()) expect(name).not.toMatch(SECRET_NAME);
  });
});

describe.each(IMAGES.filter((image) => image.file !== 'Dockerfile.web'))(
  'infrastructure/docker/$file runtime dependencies',
  (image) => {
    const dockerfile = load(image.file);
    const runtime = finalStage(dockerfile);

    it('come from npm ci --omit=dev for this workspace alone', () => {
      const install = instructionsOf(stageNamed(dockerfile, 'prod-deps'), 'RUN').map(
        (run) => run.args,
      );
      expect(install.join('\n')).toMatch(
        new RegExp(`npm ci --omit=dev --workspace=${image.workspace.replace('/', '\\/')}\\b`),
      );
      const fromStages = instructionsOf(runtime, 'COPY').map((copy) => copySources(copy).from);
      expect(fromStages).toContain('prod-deps');
    });

    it('include nothing from the build stage but the bundle', () => {
      for (const copy of instructionsOf(runtime, 'COPY')) {
        const { from, sources } = copySources(copy);
        if (from !== 'build') continue;
        for (const source of sources) expect(source).toMatch(/^\/app\/apps\/[\w-]+\/dist$/);
      }
    });

    it('include the SQL migrations', () => {
      const copied = instructionsOf(runtime, 'COPY').flatMap((copy) => copySources(copy).sources);
      expect(copied).toContain('packages/database/migrations');
    });
  },
);

describe('infrastructure/docker/Dockerfile.web runtime', () => {
  const dockerfile = load('Dockerfile.web');
  const runtime = finalStage(dockerfile);

  it("holds only Next's standalone output, static files and public folder", () => {
    const fromBuild = instructionsOf(runtime, 'COPY')
      .map((copy) => copySources(copy))
      .filter((copy) => copy.from === 'build')
      .flatMap((copy) => copy.sources);
    expect(fromBuild.sort()).toEqual([
      '/app/apps/web/.next/standalone',
      '/app/apps/web/.next/static',
      '/app/apps/web/public',
    ]);
  });

  it('bakes the same API_INTERNAL_URL into the build and the runtime', () => {
    const buildEnv = environmentOf(stageNamed(dockerfile, 'build'));
    expect(buildEnv).toContain('API_INTERNAL_URL=${API_INTERNAL_URL}');
    expect(environmentOf(runtime)).toContain('API_INTERNAL_URL=${API_INTERNAL_URL}');
  });
});

describe('infrastructure/docker/Dockerfile.api migrations', () => {
  const dockerfile = load('Dockerfile.api');

  it('has a migrate command that runs the bundled migrate entry and then exits', () => {
    const runs = instructionsOf(finalStage(dockerfile), 'RUN')
      .map((run) => run.args)
      .join('\n');
    expect(runs).toContain('> /usr/local/bin/migrate');
    expect(runs).toContain('exec node /app/apps/api/dist/migrate.js');
    expect(runs).toContain('chmod 755 /usr/local/bin/migrate');
  });

  it('fails the build when the bundle has no migrate entry', () => {
    const build = instructionsOf(stageNamed(dockerfile, 'build'), 'RUN').map((run) => run.args);
    expect(build.join('\n')).toContain('test -f apps/api/dist/migrate.js');
  });
});

describe('.dockerignore', () => {
  const patterns = readFileSync(repoPath('.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('keeps installed and built output out of the build context', () => {
    expect(patterns).toEqual(
      expect.arrayContaining(['**/node_modules', '**/dist', '**/.next', '.git']),
    );
  });

  it('keeps environment files, and so secrets, out of the images (SECURITY.md 33)', () => {
    expect(patterns).toEqual(expect.arrayContaining(['**/.env', '**/.env.*']));
  });

  it('never excludes what the images copy', () => {
    for (const needed of ['package-lock.json', 'infrastructure', 'packages', 'apps']) {
      expect(patterns).not.toContain(needed);
    }
  });
});
