import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, listAuditEvents } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createAgent } from './create-agent';
import { deleteAgent } from './delete-agent';
import { getAgent } from './get-agent';
import { listAgentVersions } from './list-agent-versions';
import { listAgents } from './list-agents';
import { updateAgent } from './update-agent';

let database: TestDatabase;
let orgId: string;
let otherOrgId: string;
const actor = { userId: null };

beforeAll(async () => {
  database = await createTestDatabase();
  orgId = (await createOrganization(database.db, { name: 'A', slug: 'agents-a' })).id;
  otherOrgId = (await createOrganization(database.db, { name: 'B', slug: 'agents-b' })).id;
});
afterAll(async () => {
  await database?.drop();
});

const base = {
  instructions: 'Find sources.',
  provider: 'scripted' as const,
  model: 'scripted',
};

describe('agent services', () => {
  it('creates version 1 and saves each edit as the next version over the current one', async () => {
    const agent = await createAgent(
      { orgId, actor, input: { ...base, name: 'Researcher', tools: ['http_fetch'] } },
      { db: database.db },
    );
    expect(agent).toMatchObject({ currentVersion: 1, definition: { version: 1, maxSteps: 10 } });

    const edited = await updateAgent(
      { orgId, agentId: agent.id, actor, input: { instructions: 'Find better sources.' } },
      { db: database.db },
    );
    expect(edited.currentVersion).toBe(2);
    expect(edited.definition).toMatchObject({
      version: 2,
      instructions: 'Find better sources.',
      tools: ['http_fetch'],
    });
    const first = await getAgent({ orgId, agentId: agent.id, version: 1 }, { db: database.db });
    expect(first?.definition.instructions).toBe('Find sources.');
    const versions = await listAgentVersions({ orgId, agentId: agent.id }, { db: database.db });
    expect(versions?.map((version) => version.version)).toEqual([2, 1]);
    const audit = await listAuditEvents(database.db, { orgId, limit: 10 });
    expect(audit.map((event) => event.action)).toEqual(
      expect.arrayContaining(['agent.created', 'agent.updated']),
    );
  });

  it('refuses a duplicate name, unknown tools and an unusable output schema', async () => {
    await createAgent({ orgId, actor, input: { ...base, name: 'Unique' } }, { db: database.db });
    await expect(
      createAgent({ orgId, actor, input: { ...base, name: 'unique' } }, { db: database.db }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      createAgent(
        { orgId, actor, input: { ...base, name: 'Hacker', tools: ['shell_exec'] } },
        { db: database.db },
      ),
    ).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      details: { errors: [{ path: 'tools.0' }] },
    });
    await expect(
      createAgent(
        { orgId, actor, input: { ...base, name: 'Shaped', outputSchema: { type: 'banana' } } },
        { db: database.db },
      ),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(
      createAgent(
        { orgId, actor, input: { ...base, name: 'Sneaky', orgId: otherOrgId } as never },
        { db: database.db },
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it("pages the org's agents and hides deleted ones and other orgs' agents", async () => {
    const org = (await createOrganization(database.db, { name: 'C', slug: 'agents-c' })).id;
    for (const name of ['One', 'Two', 'Three']) {
      await createAgent({ orgId: org, actor, input: { ...base, name } }, { db: database.db });
    }
    const first = await listAgents({ orgId: org, limit: 2 }, { db: database.db });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await listAgents(
      { orgId: org, limit: 2, cursor: first.nextCursor ?? undefined },
      { db: database.db },
    );
    expect(second.items.map((agent) => agent.name)).toEqual(['One']);
    expect(second.nextCursor).toBeNull();

    const [three] = first.items;
    if (!three) throw new Error('no agent');
    expect(
      await getAgent({ orgId: otherOrgId, agentId: three.id }, { db: database.db }),
    ).toBeNull();
    await expect(
      updateAgent(
        { orgId: otherOrgId, agentId: three.id, actor, input: { model: 'x' } },
        { db: database.db },
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await deleteAgent({ orgId: org, agentId: three.id, actor }, { db: database.db });
    expect(await getAgent({ orgId: org, agentId: three.id }, { db: database.db })).toBeNull();
    // A deleted agent frees its name.
    await createAgent(
      { orgId: org, actor, input: { ...base, name: three.name } },
      { db: database.db },
    );
    await expect(
      listAgents({ orgId: org, cursor: 'garbage' }, { db: database.db }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
