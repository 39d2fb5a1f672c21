import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createAgent } from '../agents/create-agent';
import { deleteAgent } from '../agents/delete-agent';
import { updateAgent } from '../agents/update-agent';
import { createTeam } from './create-team';
import { deleteTeam } from './delete-team';
import { getTeam } from './get-team';
import { listTeams } from './list-teams';
import { updateTeam } from './update-team';

let database: TestDatabase;
let orgId: string;
const actor = { userId: null };

beforeAll(async () => {
  database = await createTestDatabase();
  orgId = (await createOrganization(database.db, { name: 'T', slug: 'teams-t' })).id;
});
afterAll(async () => {
  await database?.drop();
});

async function agent(name: string) {
  return createAgent(
    {
      orgId,
      actor,
      input: { name, instructions: `${name}.`, provider: 'scripted', model: 'scripted' },
    },
    { db: database.db },
  );
}

describe('team services', () => {
  it('pins the current version of each member, or the version named', async () => {
    const planner = await agent('Boss');
    const worker = await agent('Worker');
    await updateAgent(
      { orgId, agentId: worker.id, actor, input: { instructions: 'Worker v2.' } },
      { db: database.db },
    );
    const team = await createTeam(
      {
        orgId,
        actor,
        input: {
          name: 'Crew',
          strategy: 'supervisor',
          planner: { agentId: planner.id },
          members: [{ agentId: worker.id, version: 1 }],
        },
      },
      { db: database.db },
    );
    expect(team).toMatchObject({
      plannerAgentId: planner.id,
      plannerAgentVersion: 1,
      members: [{ agentId: worker.id, version: 1 }],
    });
    const repinned = await updateTeam(
      { orgId, teamId: team.id, actor, input: { members: [{ agentId: worker.id }] } },
      { db: database.db },
    );
    expect(repinned.members).toEqual([{ agentId: worker.id, version: 2 }]);
    expect(repinned.plannerAgentVersion).toBe(1);
  });

  it('refuses teams that do not fit their strategy or name unknown agents', async () => {
    const solo = await agent('Solo');
    const gone = await agent('Gone');
    await deleteAgent({ orgId, agentId: gone.id, actor }, { db: database.db });
    const attempt = (input: Parameters<typeof createTeam>[0]['input']) =>
      createTeam({ orgId, actor, input }, { db: database.db });

    await expect(
      attempt({ name: 'No planner', strategy: 'supervisor', members: [{ agentId: solo.id }] }),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE', details: { errors: [{ path: 'planner' }] } });
    await expect(
      attempt({ name: 'Lonely', strategy: 'handoff', members: [{ agentId: solo.id }] }),
    ).rejects.toMatchObject({ details: { errors: [{ path: 'members' }] } });
    await expect(
      attempt({
        name: 'Twice',
        strategy: 'sequential',
        members: [{ agentId: solo.id }, { agentId: solo.id }],
      }),
    ).rejects.toMatchObject({ details: { errors: [{ path: 'members.1.agentId' }] } });
    await expect(
      attempt({ name: 'Ghost', strategy: 'sequential', members: [{ agentId: gone.id }] }),
    ).rejects.toMatchObject({ details: { errors: [{ path: 'members.0.agentId' }] } });
    await expect(
      attempt({
        name: 'Future',
        strategy: 'sequential',
        members: [{ agentId: solo.id, version: 9 }],
      }),
    ).rejects.toMatchObject({ details: { errors: [{ path: 'members.0.version' }] } });
    await expect(
      attempt({
        name: 'No plan to approve',
        strategy: 'sequential',
        members: [{ agentId: solo.id }],
        requirePlanApproval: true,
      }),
    ).rejects.toMatchObject({ details: { errors: [{ path: 'requirePlanApproval' }] } });
  });

  it('lists live teams a page at a time and hides deleted ones', async () => {
    const member = await agent('Lister');
    const created = [];
    for (const name of ['T1', 'T2', 'T3']) {
      created.push(
        await createTeam(
          {
            orgId,
            actor,
            input: { name, strategy: 'sequential', members: [{ agentId: member.id }] },
          },
          { db: database.db },
        ),
      );
    }
    const [, , last] = created;
    if (!last) throw new Error('no team');
    await deleteTeam({ orgId, teamId: last.id, actor }, { db: database.db });
    expect(await getTeam({ orgId, teamId: last.id }, { db: database.db })).toBeNull();
    const page = await listTeams({ orgId, limit: 100 }, { db: database.db });
    expect(page.items.map((team) => team.name)).not.toContain('T3');
    expect(page.items.map((team) => team.name)).toEqual(expect.arrayContaining(['T1', 'T2']));
  });
});
