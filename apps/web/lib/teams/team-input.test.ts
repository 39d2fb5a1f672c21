import { describe, expect, it } from 'vitest';
import type { Team } from '@/lib/api/runtime-schemas';
import { buildTeamUpdate, findDeletedAgents, teamFormValues, toTeamInput } from './team-input';

const DESK: Team = {
  id: 't1',
  name: 'Desk',
  strategy: 'supervisor',
  planner: { agentId: 'planner', version: 2 },
  members: [
    { agentId: 'a', version: 1 },
    { agentId: 'b', version: 3 },
  ],
  requirePlanApproval: true,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('buildTeamUpdate', () => {
  it('sends nothing when nothing changed', () => {
    expect(buildTeamUpdate(DESK, teamFormValues(DESK))).toBeNull();
    expect(buildTeamUpdate(DESK, { ...teamFormValues(DESK), name: '  Desk ' })).toBeNull();
  });

  it('sends only the name when only the name changed', () => {
    expect(buildTeamUpdate(DESK, { ...teamFormValues(DESK), name: 'Desk (EU)' })).toEqual({
      name: 'Desk (EU)',
    });
  });

  it('keeps the pinned version of members that stay and pins new ones at their current one', () => {
    const update = buildTeamUpdate(DESK, { ...teamFormValues(DESK), memberIds: ['b', 'c'] });
    expect(update).toEqual({ members: [{ agentId: 'b', version: 3 }, { agentId: 'c' }] });
  });

  it('treats a new order as a change (sequential members run in order)', () => {
    const update = buildTeamUpdate(DESK, { ...teamFormValues(DESK), memberIds: ['b', 'a'] });
    expect(update?.members).toEqual([
      { agentId: 'b', version: 3 },
      { agentId: 'a', version: 1 },
    ]);
  });

  it('drops the planner and plan approval when the team stops being a supervisor team', () => {
    const update = buildTeamUpdate(DESK, { ...teamFormValues(DESK), strategy: 'sequential' });
    expect(update).toEqual({ strategy: 'sequential', planner: null, requirePlanApproval: false });
  });

  it('sends a new planner, and plan approval on its own', () => {
    expect(buildTeamUpdate(DESK, { ...teamFormValues(DESK), plannerId: 'a' })).toEqual({
      planner: { agentId: 'a' },
    });
    expect(buildTeamUpdate(DESK, { ...teamFormValues(DESK), requirePlanApproval: false })).toEqual({
      requirePlanApproval: false,
    });
  });

  it('moves everyone to their newest version when asked to', () => {
    expect(buildTeamUpdate(DESK, { ...teamFormValues(DESK), repin: true })).toEqual({
      planner: { agentId: 'planner' },
      members: [{ agentId: 'a' }, { agentId: 'b' }],
    });
  });
});

describe('toTeamInput', () => {
  it('sends no planner or plan approval for a team that is not a supervisor', () => {
    expect(
      toTeamInput({
        ...teamFormValues(DESK),
        name: ' Relay ',
        strategy: 'handoff',
        memberIds: ['a', 'b'],
      }),
    ).toEqual({
      name: 'Relay',
      strategy: 'handoff',
      planner: null,
      members: [{ agentId: 'a' }, { agentId: 'b' }],
      requirePlanApproval: false,
    });
  });
});

describe('findDeletedAgents', () => {
  it('names the members and planner the update would pin that are gone', () => {
    const live = new Set(['a', 'planner']);
    expect(
      findDeletedAgents({ members: [{ agentId: 'a' }, { agentId: 'gone', version: 1 }] }, live),
    ).toEqual({ planner: false, members: ['gone'] });
    expect(findDeletedAgents({ planner: { agentId: 'x', version: 1 } }, live)).toEqual({
      planner: true,
      members: [],
    });
  });
});
