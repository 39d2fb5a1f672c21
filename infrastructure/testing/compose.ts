import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { findExecutable } from './find-executable';
import { repoPath } from './repo';

export const COMPOSE_FILE = repoPath('docker-compose.yml');

export const COMPOSE_INSTALL_HINT =
  'apt-get install docker-compose (or the Docker Compose plugin); .ci/run installs it in CI';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const serviceSchema = z.looseObject({
  image: z.string().optional(),
  build: z
    .looseObject({
      context: z.string(),
      dockerfile: z.string().optional(),
      args: z.record(z.string(), scalar).optional(),
    })
    .optional(),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  restart: z.string().optional(),
  environment: z.union([z.record(z.string(), scalar), z.array(z.string())]).optional(),
  depends_on: z
    .union([z.array(z.string()), z.record(z.string(), z.object({ condition: z.string() }))])
    .optional(),
  healthcheck: z
    .looseObject({
      test: z.union([z.string(), z.array(z.string())]).optional(),
      disable: z.boolean().optional(),
    })
    .optional(),
  ports: z.array(z.union([z.string(), z.number()])).optional(),
  volumes: z.array(z.string()).optional(),
  networks: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).optional(),
});

const composeSchema = z.looseObject({
  services: z.record(z.string(), serviceSchema),
  volumes: z.record(z.string(), z.unknown()).optional(),
  networks: z.record(z.string(), z.unknown()).optional(),
});

export type ComposeService = z.infer<typeof serviceSchema>;
export type ComposeFile = z.infer<typeof composeSchema>;

/** docker-compose.yml as written (variables not substituted), YAML merge keys applied. */
export function loadComposeFile(path = COMPOSE_FILE): ComposeFile {
  return composeSchema.parse(parse(readFileSync(path, 'utf8'), { merge: true }));
}

/** A service's environment as name -> value, from either the map or the `NAME=value` list form. */
export function environmentOf(service: ComposeService): Map<string, string> {
  const env = new Map<string, string>();
  if (Array.isArray(service.environment)) {
    for (const entry of service.environment) {
      const [name = '', ...value] = entry.split('=');
      env.set(name, value.join('='));
    }
  } else {
    for (const [name, value] of Object.entries(service.environment ?? {})) {
      env.set(name, value === null ? '' : String(value));
    }
  }
  return env;
}

/** depends_on as service -> condition (the short list form means `service_started`). */
export function dependenciesOf(service: ComposeService): Map<string, string> {
  const deps = service.depends_on;
  if (Array.isArray(deps)) return new Map(deps.map((name) => [name, 'service_started']));
  return new Map(Object.entries(deps ?? {}).map(([name, dep]) => [name, dep.condition]));
}

/**
 * How to run Compose here: the Docker CLI plugin (`docker compose`) if it answers, else the
 * standalone `docker-compose`; undefined when neither is installed.
 */
export function findComposeCommand(): string[] | undefined {
  const docker = findExecutable('docker');
  if (docker !== undefined) {
    const probe = spawnSync(docker, ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return [docker, 'compose'];
  }
  const standalone = findExecutable('docker-compose');
  return standalone === undefined ? undefined : [standalone];
}

/**
 * `<compose> --env-file <envFile> -f docker-compose.yml config -q` with exactly the given
 * variables (plus PATH and HOME), so neither the caller's shell nor a developer's `.env` leaks in.
 */
export function runComposeConfig(
  compose: string[],
  options: { envFile: string; variables: Record<string, string> },
): { status: number | null; output: string } {
  const [command = '', ...prefix] = compose;
  const result = spawnSync(
    command,
    [...prefix, '--env-file', options.envFile, '-f', COMPOSE_FILE, 'config', '-q'],
    {
      cwd: repoPath(),
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.variables },
    },
  );
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
