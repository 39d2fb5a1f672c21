export * from './providers';
export * from './tools';

// Agents and teams (R1)
export {
  agentFieldsSchema,
  createAgentSchema,
  listPageSchema,
  MAX_LIST_LIMIT,
  updateAgentSchema,
  type CreateAgentInput,
  type ListPageInput,
  type UpdateAgentInput,
} from './agents/agent-schemas';
export type { AuditActor } from './agents/audit-actor';
export { createAgent } from './agents/create-agent';
export { deleteAgent } from './agents/delete-agent';
export { getAgent } from './agents/get-agent';
export { listAgentVersions } from './agents/list-agent-versions';
export { listAgents } from './agents/list-agents';
export { updateAgent } from './agents/update-agent';
export {
  createTeamSchema,
  MAX_TEAM_MEMBERS,
  updateTeamSchema,
  type CreateTeamInput,
  type UpdateTeamInput,
} from './teams/team-schemas';
export { createTeam } from './teams/create-team';
export { deleteTeam } from './teams/delete-team';
export { getTeam } from './teams/get-team';
export { listTeams } from './teams/list-teams';
export { updateTeam } from './teams/update-team';

// Runs (R1)
export {
  approveStepSchema,
  createRunSchema,
  listRunsSchema,
  MAX_RUN_INPUT_LENGTH,
  rejectStepSchema,
  retryRunSchema,
  runBudgetSchema,
  runTargetSchema,
  type ApproveStepInput,
  type CreateRunInput,
  type ListRunsInput,
  type RejectStepInput,
  type RetryRunInput,
  type RunTarget,
} from './runs/run-schemas';
export { approveStep, type ApprovalDecision } from './runs/approve-step';
export { cancelRun } from './runs/cancel-run';
export { createRun, type CreateRunParams, type CreateRunSettings } from './runs/create-run';
export { getRun, type RunWithSteps } from './runs/get-run';
export { listRunEvents } from './runs/list-run-events';
export { listRuns } from './runs/list-runs';
export { decodePageCursor, encodePageCursor, type Page } from './runs/page-cursor';
export { rejectStep } from './runs/reject-step';
export { retryRun } from './runs/retry-run';

// Engine, events, budgets, plans, queue (R1)
export { checkBudget, type BudgetUsage, type BudgetVerdict } from './budgets/check-budget';
export { createCancelListener, type CancelListener } from './engine/cancel-listener';
export {
  DEFAULT_ENGINE_SETTINGS,
  type EngineDeps,
  type EngineSettings,
  type ProviderRegistry,
  type ResolvedProvider,
  type RunServiceDeps,
} from './engine/engine-deps';
export { executeStep, type ExecuteStepOutcome } from './engine/execute-step';
export {
  reapStalledSteps,
  type ReapStalledStepsOptions,
  type ReapStalledStepsResult,
} from './engine/reap-stalled-steps';
export { ACTIVE_RUN_STATUSES, EXECUTABLE_STEP_KINDS } from './engine/run-states';
export { publishRunCancel, publishRunEvents } from './events/publish-run-events';
export {
  RUN_CANCEL_CHANNEL,
  RUN_EVENT_TYPES,
  runEventsChannel,
  toPublishedRunEvent,
  type PublishedRunEvent,
  type RunEventType,
} from './events/run-event-types';
export { MAX_PLAN_SUBTASKS, planSchema, type Plan, type PlanSubtask } from './plans/plan-schema';
export { validatePlan, type PlanMember, type PlanValidation } from './plans/validate-plan';
export { createStepWorker, type CreateStepWorkerOptions } from './queue/create-step-worker';
export {
  createActiveStepTracker,
  type ActiveStep,
  type ActiveStepTracker,
} from './queue/active-step-tracker';
export { MAINTENANCE_QUEUE, QUEUE_NAMES, type QueueName } from './queue/queue-names';
export {
  startWorkerHeartbeat,
  WORKER_HEARTBEAT_INTERVAL_MS,
  type StartWorkerHeartbeatOptions,
  type WorkerHeartbeat,
} from './queue/start-worker-heartbeat';
export {
  listWorkerHeartbeats,
  writeWorkerHeartbeat,
  type WorkerRecord,
  type WorkerStatus,
} from './queue/worker-registry';
export {
  createOrgConcurrencyLimiter,
  type OrgConcurrencyLimiter,
  type OrgConcurrencyOptions,
} from './queue/org-concurrency';
export {
  createRunQueue,
  EXECUTE_STEP_JOB,
  RUN_PRIORITY_RANGE,
  STEPS_QUEUE,
  stepJobDataSchema,
  type CreateRunQueueOptions,
  type EnqueueStepOptions,
  type RunQueue,
  type StepJobData,
} from './queue/run-queue';

// Schedules
export {
  createScheduleQueue,
  SCHEDULED_RUN_JOB,
  scheduledRunJobDataSchema,
  scheduleSchedulerId,
  SCHEDULES_QUEUE,
  type ScheduledRunJobData,
  type ScheduleQueue,
} from './queue/schedule-queue';
export {
  checkCronPattern,
  createScheduleSchema,
  MIN_SCHEDULE_INTERVAL_MS,
  nextScheduleRun,
  scheduleTargetSchema,
  updateScheduleSchema,
  type CreateScheduleInput,
  type UpdateScheduleInput,
} from './schedules/schedule-schemas';
export type { ScheduleServiceDeps } from './schedules/schedule-deps';
export { createSchedule } from './schedules/create-schedule';
export { deleteSchedule } from './schedules/delete-schedule';
export { getSchedule } from './schedules/get-schedule';
export { listSchedules } from './schedules/list-schedules';
export { runSchedule, type RunScheduleResult } from './schedules/run-schedule';
export { pauseSchedule, resumeSchedule } from './schedules/set-schedule-paused';
export { updateSchedule } from './schedules/update-schedule';

// Worker manager (platform admins)
export type { QueueSummary } from './admin/describe-queue';
export { discardQueueJob } from './admin/discard-queue-job';
export { listQueueJobs } from './admin/list-queue-jobs';
export { listQueues } from './admin/list-queues';
export type { QueueAdminDeps } from './admin/queue-admin-deps';
export {
  listQueueJobsSchema,
  QUEUE_JOB_STATES,
  type ListQueueJobsInput,
  type QueueJobState,
} from './admin/queue-admin-schemas';
export type { QueueJobSummary } from './admin/queue-job-summary';
export { retryQueueJob } from './admin/retry-queue-job';
export { pauseQueue, resumeQueue } from './admin/set-queue-paused';
