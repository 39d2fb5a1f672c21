import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  COMPOSE_FILE,
  COMPOSE_INSTALL_HINT,
  dependenciesOf,
  environmentOf,
  findComposeCommand,
  loadComposeFile,
  runComposeConfig,
  type ComposeService,
} from '../testing/compose';
import { repoPath } from '../testing/repo';

const compose = loadComposeFile();
const services = compose.services;
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PRIVATE_KEY/;
const REQUIRED_VARIABLE = /^\$\{\w+:\?[^}]*\}$/;
const REQUIRED_SETTINGS = {
  POSTGRES_PASSWORD: 'compose0test0password',
  MINIO_ROOT_PASSWORD: 'compose0test0password',
  PUBLIC_URL: 'https://switchyard.example.com',
};

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** Services another one waits for with `service_completed_successfully`: they run and exit. */
const oneShot = new Set(
  Object.values(services).flatMap((candidate) =>
    [...dependenciesOf(candidate)]
      .filter(([, condition]) => condition === 'service_completed_successfully')
      .map(([name]) => name),
  ),
);
const longRunning = Object.keys(services).filter((name) => !oneShot.has(name));

/** Every service `name` waits for, directly or through others, with the condition it waits on. */
function startsAfter(name: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (current: string) => {
    for (const [dependency, condition] of dependenciesOf(service(current))) {
      if (seen.has(dependency)) continue;
      seen.set(dependency, condition);
      visit(dependency);
    }
  };
  visit(name);
  return seen;
}

describe('docker-compose.yml', () => {
  it('runs the whole system: data stores, the one-shot jobs, the apps and nginx', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'migrate',
        'minio',
        'minio-init',
        'nginx',
        'postgres',
        'redis',
        'web',
        'workers',
      ].sort(),
    );
    expect([...oneShot].sort()).toEqual(['migrate', 'minio-init']);
  });

  it.each(longRunning)(
    'gives the long-running service %s a healthcheck and a restart policy',
    (name) => {
      const { healthcheck, restart } = service(name);
      expect(healthcheck?.disable).not.toBe(true);
      expect(healthcheck?.test).toBeDefined();
      expect(restart).toBe('unless-stopped');
    },
  );

  it.each([...oneShot])('runs the one-shot service %s once, never restarting it', (name) => {
    expect(service(name).restart).toBe('no');
  });

  it.each(['api', 'workers'])(
    'starts %s only after postgres and redis are healthy and migrate has succeeded',
    (name) => {
      expect(Object.fromEntries(dependenciesOf(service(name)))).toMatchObject({
        postgres: 'service_healthy',
        redis: 'service_healthy',
        migrate: 'service_completed_successfully',
      });
    },
  );

  it.each(['web', 'nginx'])(
    'starts %s only after the api is healthy, and so after postgres, redis and migrate',
    (name) => {
      expect(Object.fromEntries(startsAfter(name))).toMatchObject({
        api: 'service_healthy',
        postgres: 'service_healthy',
        redis: 'service_healthy',
        migrate: 'service_completed_successfully',
      });
    },
  );

  it('starts nginx only once web is healthy too', () => {
    expect(dependenciesOf(service('nginx')).get('web')).toBe('service_healthy');
  });

  it('migrates with the api image and its migrate command, as soon as postgres is healthy', () => {
    const migrate = service('migrate');
    const api = service('api');
    expect(migrate.image).toBe(api.image);
    expect(migrate.build).toEqual(api.build);
    expect(migrate.command).toEqual(['migrate']);
    expect(Object.fromEntries(dependenciesOf(migrate))).toEqual({ postgres: 'service_healthy' });
    expect(environmentOf(migrate).get('DATABASE_URL')).toBe(environmentOf(api).get('DATABASE_URL'));
  });

  it('builds the app images from the Dockerfiles in infrastructure/docker', () => {
    const dockerfiles = Object.fromEntries(
      Object.entries(services)
        .filter(([, candidate]) => candidate.build !== undefined)
        .map(([name, candidate]) => [name, candidate.build?.dockerfile]),
    );
    expect(dockerfiles).toEqual({
      migrate: 'infrastructure/docker/Dockerfile.api',
      api: 'infrastructure/docker/Dockerfile.api',
      workers: 'infrastructure/docker/Dockerfile.workers',
      web: 'infrastructure/docker/Dockerfile.web',
    });
    for (const [name, dockerfile] of Object.entries(dockerfiles)) {
      expect(service(name).build?.context).toBe('.');
      expect(existsSync(repoPath(dockerfile ?? ''))).toBe(true);
    }
  });

  it('pins every image it pulls to a version, PostgreSQL 16 and Redis 7 included', () => {
    const pulled = Object.values(services).filter((candidate) => candidate.build === undefined);
    for (const { image } of pulled) {
      expect(image).toMatch(/^[\w./-]+:(\d+(\.\d+)*(-[\w.]+)?|RELEASE\.[\dT:-]+Z)$/);
    }
    expect(service('postgres').image).toBe('postgres:16');
    expect(service('redis').image).toBe('redis:7');
  });

  it('takes every secret from a required variable, never from the file (SECURITY.md 33)', () => {
    for (const [name, candidate] of Object.entries(services)) {
      for (const [key, value] of environmentOf(candidate)) {
        if (SECRET_NAME.test(key)) expect(value, `${name}.${key}`).toMatch(REQUIRED_VARIABLE);
        const password = /^\w+:\/\/[^:/@]+:([^@]*)@/.exec(value)?.[1];
        if (password !== undefined) expect(password, `${name}.${key}`).toMatch(REQUIRED_VARIABLE);
      }
    }
    // No fallback value for a secret anywhere, in any form: `${X_PASSWORD:-...}` or `-...`.
    const text = readFileSync(COMPOSE_FILE, 'utf8');
    expect(text).not.toMatch(/\$\{\w*(PASSWORD|SECRET|TOKEN)\w*:?[-=+]/);
  });

  it('publishes only nginx, plus the MinIO console on this machine only', () => {
    const published = Object.fromEntries(
      Object.entries(services)
        .filter(([, candidate]) => (candidate.ports ?? []).length > 0)
        .map(([name, candidate]) => [name, candidate.ports]),
    );
    expect(published).toEqual({
      nginx: ['${HTTP_PORT:-8080}:80'],
      minio: ['127.0.0.1:${MINIO_CONSOLE_PORT:-9001}:9001'],
    });
  });

  it('keeps PostgreSQL, Redis and MinIO off the network nginx is on', () => {
    const networksOf = (name: string) => {
      const networks = service(name).networks ?? [];
      return Array.isArray(networks) ? networks : Object.keys(networks);
    };
    const nginxNetworks = networksOf('nginx');
    for (const store of ['postgres', 'redis', 'minio']) {
      expect(networksOf(store).filter((network) => nginxNetworks.includes(network))).toEqual([]);
    }
    expect(networksOf('api')).toEqual(expect.arrayContaining(nginxNetworks));
    expect(networksOf('web')).toEqual(expect.arrayContaining(nginxNetworks));
  });

  it('serves nginx with config/nginx, mounted read-only', () => {
    const volumes = service('nginx').volumes ?? [];
    expect(volumes).toEqual([
      './config/nginx/nginx.conf:/etc/nginx/nginx.conf:ro',
      './config/nginx/conf.d:/etc/nginx/conf.d:ro',
    ]);
    for (const volume of volumes)
      expect(existsSync(repoPath(volume.split(':')[0] ?? ''))).toBe(true);
  });

  it('keeps the data of PostgreSQL, Redis and MinIO in named volumes', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const mounts = { postgres: '/var/lib/postgresql/data', redis: '/data', minio: '/data' };
    for (const [name, target] of Object.entries(mounts)) {
      const volume = (service(name).volumes ?? []).find((entry) => entry.endsWith(`:${target}`));
      expect(declared, `${name} keeps ${target} in a named volume`).toContain(
        volume?.split(':')[0],
      );
    }
  });

  it('runs Redis with append-only persistence and without eviction, which BullMQ needs', () => {
    const command = service('redis').command;
    expect(command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
  });

  it('gives the apps the settings their env.ts reads, pointing at the compose services', () => {
    const api = environmentOf(service('api'));
    const workers = environmentOf(service('workers'));
    const web = environmentOf(service('web'));
    for (const env of [api, workers]) {
      expect(env.get('NODE_ENV')).toBe('production');
      expect(env.get('DATABASE_URL')).toMatch(
        /^postgres:\/\/switchyard:.+@postgres:5432\/switchyard$/,
      );
      expect(env.get('REDIS_URL')).toBe('redis://redis:6379');
      expect(env.get('PUBLIC_URL')).toMatch(REQUIRED_VARIABLE);
    }
    expect(api.get('API_HOST')).toBe('0.0.0.0');
    expect(api.get('TRUST_PROXY')).toBe('${TRUST_PROXY:-uniquelocal}');
    expect(workers.get('WORKERS_HEALTH_HOST')).toBe('0.0.0.0');
    expect(web.get('API_INTERNAL_URL')).toBe('http://api:4000');
    // next build writes the /api rewrite into its output: build and run must agree.
    expect(service('web').build?.args?.API_INTERNAL_URL).toBe(web.get('API_INTERNAL_URL'));
  });

  it.each([
    ['api', 'http://127.0.0.1:4000/readyz'],
    ['workers', 'http://127.0.0.1:4001/readyz'],
    ['web', 'http://127.0.0.1:3000/'],
  ])('checks %s at %s, the port it listens on', (name, url) => {
    expect(service(name).healthcheck?.test).toEqual([
      'CMD',
      'node',
      '/usr/local/lib/switchyard/healthcheck.mjs',
      url,
    ]);
  });

  describe('with Docker Compose', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'switchyard-compose-'));
    // An empty env file, so a developer's own .env cannot make these pass or fail.
    const envFile = join(scratch, 'empty.env');
    writeFileSync(envFile, '');
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    function requireCompose(): string[] {
      const command = findComposeCommand();
      if (command === undefined) {
        throw new Error(
          `Docker Compose is not installed, and this test needs it: ${COMPOSE_INSTALL_HINT}`,
        );
      }
      return command;
    }

    it('is valid (`docker compose config -q`) once the required settings are given', () => {
      const result = runComposeConfig(requireCompose(), { envFile, variables: REQUIRED_SETTINGS });
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });

    it.each(Object.keys(REQUIRED_SETTINGS))('refuses to run without %s, naming it', (missing) => {
      const variables = Object.fromEntries(
        Object.entries(REQUIRED_SETTINGS).filter(([name]) => name !== missing),
      );
      const result = runComposeConfig(requireCompose(), { envFile, variables });
      expect(result.status).not.toBe(0);
      expect(result.output).toContain(missing);
    });
  });
});
