import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@switchyard/shared';
import { buildApp, type App } from '../../app';
import { createTestConfig } from '../../testing/test-app';
import { listDocumentedExamples } from './openapi-examples';

type Schema = { [key: string]: unknown };
type Media = { schema?: Schema; example?: unknown; examples?: unknown };
type Operation = {
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { content?: Record<string, Media> }>;
};
type OpenApiDocument = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

let app: App;
let document: OpenApiDocument;

beforeAll(async () => {
  // No database or Redis needed: the document is built from the route schemas.
  app = await buildApp(createTestConfig({ DEV_MAILBOX: 'true' }), {
    logger: createLogger({ name: 'api', level: 'silent' }),
  });
  await app.ready();
  document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
});
afterAll(async () => {
  await app.close();
});

/**
 * `METHOD /path` of every registered route, read from Fastify's route tree (`HEAD` twins of GET
 * routes and the CORS `OPTIONS` catch-all left out), with `:param` written `{param}` as in OpenAPI.
 */
function listRegisteredRoutes(): string[] {
  const routes: string[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const [, indent = '', segment = '', methods = ''] = match;
    const depth = indent.length / 4;
    const path = `${parents[depth - 1] ?? ''}${segment}`;
    parents[depth] = path;
    for (const method of methods.split(', ')) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes;
}

/** Whether the schema, or one it nests or references, carries an example. */
function hasSchemaExample(schema: unknown, seen: Set<string> = new Set()): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const node = schema as Schema;
  if ('example' in node || 'examples' in node) return true;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.split('/').pop() ?? '';
    if (seen.has(name)) return false;
    seen.add(name);
    return hasSchemaExample(document.components?.schemas?.[name], seen);
  }
  const nested = [
    ...Object.values((node.properties as Schema | undefined) ?? {}),
    node.items,
    ...((node.anyOf as unknown[] | undefined) ?? []),
    ...((node.oneOf as unknown[] | undefined) ?? []),
  ];
  return nested.some((child) => hasSchemaExample(child, seen));
}

function mediaOf(operation: Operation): Media[] {
  return [
    ...Object.values(operation.requestBody?.content ?? {}),
    ...Object.values(operation.responses ?? {}).flatMap((response) =>
      Object.values(response.content ?? {}),
    ),
  ];
}

describe('the OpenAPI document', () => {
  it('contains every /v1 route the app serves', () => {
    const registered = listRegisteredRoutes().filter((route) => route.includes(' /v1/'));
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(registered.length).toBeGreaterThan(30);
    expect(registered.filter((route) => !documented.includes(route))).toEqual([]);
  });

  it('gives every /v1 route with a request or response body an example', () => {
    const withoutExample: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const media = mediaOf(operation);
        // 204s and redirects (logout, OAuth) have no body to show.
        if (media.length === 0) continue;
        const documented = media.some(
          (entry) => 'example' in entry || 'examples' in entry || hasSchemaExample(entry.schema),
        );
        if (!documented) withoutExample.push(`${method.toUpperCase()} ${path}`);
      }
    }

    expect(withoutExample).toEqual([]);
  });

  it('shows the request and the response of a login, both outcomes included', () => {
    const login = document.paths['/v1/auth/login']?.post;
    const request = login?.requestBody?.content?.['application/json'];
    const response = login?.responses?.['200']?.content?.['application/json'];

    expect(request?.examples).toMatchObject({
      example1: { value: { email: 'ada@example.com', mode: 'token' } },
    });
    expect(response?.examples).toMatchObject({
      example1: { value: { status: 'authenticated', tokenType: 'Bearer' } },
      example2: { value: { status: 'two_factor_required' } },
    });
  });
});

describe('documented examples', () => {
  it('are each accepted by the schema they illustrate', () => {
    const documented = listDocumentedExamples();
    const invalid = documented.flatMap(({ schema, examples }) =>
      examples
        .map((example) => schema.safeParse(example))
        .filter((result) => !result.success)
        .map((result) => result.error?.message),
    );

    expect(documented.length).toBeGreaterThan(20);
    expect(invalid).toEqual([]);
  });
});
