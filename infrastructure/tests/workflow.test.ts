import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { repoPath } from '../testing/repo';

const stepSchema = z.looseObject({
  run: z.string().optional(),
  uses: z.string().optional(),
  with: z.record(z.string(), z.unknown()).optional(),
});
const jobSchema = z.looseObject({
  'runs-on': z.string(),
  services: z.record(z.string(), z.looseObject({ image: z.string() })).optional(),
  steps: z.array(stepSchema),
});
const workflowSchema = z.looseObject({
  on: z.looseObject({ push: z.unknown(), pull_request: z.unknown() }),
  jobs: z.looseObject({ test: jobSchema, images: jobSchema }),
});

const workflow = workflowSchema.parse(
  parse(readFileSync(repoPath('.github/workflows/ci.yml'), 'utf8')),
);
const ciRun = readFileSync(repoPath('.ci/run'), 'utf8');
const runsOf = (steps: z.infer<typeof stepSchema>[]) => steps.flatMap((step) => step.run ?? []);

describe('.github/workflows/ci.yml', () => {
  it('runs on every push to main and every pull request, on ubuntu-latest', () => {
    expect(workflow.on.push).toBeDefined();
    expect(workflow.on).toHaveProperty('pull_request');
    expect(workflow.jobs.test['runs-on']).toBe('ubuntu-latest');
    expect(workflow.jobs.images['runs-on']).toBe('ubuntu-latest');
  });

  it('tests on Node 20 against PostgreSQL 16 and Redis 7', () => {
    const { test } = workflow.jobs;
    const setupNode = test.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(String(setupNode?.with?.['node-version'])).toBe('20');
    expect(test.services?.postgres?.image).toBe('postgres:16');
    expect(test.services?.redis?.image).toBe('redis:7');
  });

  it('runs the npm commands of .ci/run, in the same order', () => {
    const expected = [...ciRun.matchAll(/^\s*(npm (?:ci|test|run [\w:-]+))\b/gm)].map(
      (match) => match[1] ?? '',
    );
    expect(expected).toContain('npm test');
    const runs = runsOf(workflow.jobs.test.steps);
    const positions = expected.map((command) =>
      runs.findIndex((run) => new RegExp(`^${command}(\\s|$)`).test(run)),
    );
    expect(positions).not.toContain(-1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('installs the Debian packages .ci/run installs when the runner lacks them', () => {
    const packages = [...ciRun.matchAll(/missing\+=\(([\w.-]+)\)/g)].map((match) => match[1]);
    const install = runsOf(workflow.jobs.test.steps).join('\n');
    for (const name of packages) expect(install).toContain(`missing+=(${name})`);
  });

  it('validates docker-compose.yml and builds its images', () => {
    const runs = runsOf(workflow.jobs.images.steps);
    expect(runs).toEqual(
      expect.arrayContaining(['docker compose config -q', 'docker compose build']),
    );
  });
});
