import type { Database } from '../client';
import { sessionClient } from '../reusable-statement';
import { runs, steps, type Run, type RunEvent, type Step } from '../schema';
import { fromJsonRow } from './json-row';
import { toRunEvents, type InsertedEventRow } from './run-events';
import type { InsertRunParams } from './runs';
import type { InsertStepParams } from './steps';

/** A run's first step, as `insertRunWithSteps` stores it. */
export type InitialStepParams = Pick<
  InsertStepParams,
  'runId' | 'orgId' | 'kind' | 'status' | 'position' | 'dependsOn' | 'agentId' | 'agentVersion'
> & { id: string; input: Record<string, unknown> };

/**
 * A new run (`queued`), its first steps and its first event (sequence 1), in one statement: one
 * round trip and one commit, with no transaction around it. Resolves them as stored, the steps in
 * the order given.
 */
export async function insertRunWithSteps(
  db: Database,
  params: {
    run: InsertRunParams & { id: string };
    steps: InitialStepParams[];
    event: { type: string; data: Record<string, unknown> };
  },
): Promise<{ run: Run; steps: Step[]; events: RunEvent[] }> {
  const { run } = params;
  const { rows } = await sessionClient(db).query({
    name: 'insert_run_with_steps',
    text: INSERT_RUN_WITH_STEPS,
    values: [
      JSON.stringify({
        id: run.id,
        org_id: run.orgId,
        created_by_user_id: run.createdByUserId,
        target_kind: run.targetKind,
        agent_id: run.agentId,
        agent_version: run.agentVersion,
        team_id: run.teamId,
        team_snapshot: run.teamSnapshot,
        input: run.input,
        priority: run.priority,
        budget: run.budget,
        schedule_id: run.scheduleId,
        deadline_at: run.deadlineAt?.toISOString() ?? null,
      }),
      JSON.stringify(
        params.steps.map((step) => ({
          id: step.id,
          run_id: step.runId,
          org_id: step.orgId,
          kind: step.kind,
          status: step.status,
          position: step.position ?? 0,
          depends_on: step.dependsOn ?? [],
          agent_id: step.agentId ?? null,
          agent_version: step.agentVersion ?? null,
          input: step.input,
        })),
      ),
      params.event.type,
      JSON.stringify(params.event.data),
    ],
  });
  const [row] = rows as {
    run: Record<string, unknown>;
    steps: Record<string, unknown>[];
    events: InsertedEventRow[];
  }[];
  if (!row) throw new Error('insert of a run returned no row');
  const stored = row.steps.map((json) => fromJsonRow<Step>(steps, json));
  const byId = new Map(stored.map((step) => [step.id, step]));
  return {
    run: fromJsonRow<Run>(runs, row.run),
    steps: params.steps.flatMap((step) => byId.get(step.id) ?? []),
    events: toRunEvents(row.events),
  };
}

// $1 the run, $2 its steps (JSON, snake_case columns), $3 and $4 the first event's type and data.
// The run's event counter starts past that event. Foreign keys are checked at the statement's end,
// when the run exists.
const INSERT_RUN_WITH_STEPS = `
  with run as (
    insert into runs (id, org_id, created_by_user_id, target_kind, agent_id, agent_version,
      team_id, team_snapshot, input, priority, budget, schedule_id, deadline_at, status,
      next_event_seq)
    select r.id, r.org_id, r.created_by_user_id, r.target_kind, r.agent_id, r.agent_version,
      r.team_id, r.team_snapshot, r.input, r.priority, r.budget, r.schedule_id, r.deadline_at,
      'queued', 2
    from jsonb_populate_record(null::runs, $1::jsonb) as r
    returning *
  ), inserted as (
    insert into steps (id, run_id, org_id, kind, status, position, depends_on, agent_id,
      agent_version, input)
    select s.id, s.run_id, s.org_id, s.kind, s.status, s.position, s.depends_on, s.agent_id,
      s.agent_version, s.input
    from jsonb_populate_recordset(null::steps, $2::jsonb) as s
    returning *
  ), event as (
    insert into run_events (run_id, org_id, seq, type, data)
    select run.id, run.org_id, 1, $3::text, $4::jsonb from run
    returning run_id, seq, org_id, type, data, created_at
  )
  select
    (select row_to_json(run) from run) as run,
    (select coalesce(json_agg(row_to_json(inserted)), '[]'::json) from inserted) as steps,
    (select coalesce(json_agg(event), '[]'::json) from event) as events`;
