'use client';

import { Bot, CircleCheck, GitFork, Hand, Sparkles, Wrench, type LucideIcon } from 'lucide-react';
import { StepStatusBadge } from '@/components/runs/run-status-badge';
import type { Step, StepKind } from '@/lib/api/runtime-schemas';
import type { StepNode } from '@/lib/runs/build-step-tree';
import { readPlanApproval } from '@/lib/runs/plan-approval';
import { formatCostMicros, formatCount, formatElapsed } from '@/lib/format';
import { cn } from '@/lib/utils';

const KIND_ICONS: Record<StepKind, LucideIcon> = {
  plan: GitFork,
  agent_turn: Bot,
  model_call: Sparkles,
  tool_call: Wrench,
  approval: Hand,
  synthesis: CircleCheck,
};

/** Longest JSON shown inline; the rest is cut with an ellipsis. */
const MAX_JSON_CHARS = 1_500;

export function StepTree({
  nodes,
  streamed,
  agentName,
}: {
  nodes: StepNode[];
  /** Text streamed so far, by step id, for steps still running. */
  streamed: Record<string, string>;
  agentName: (agentId: string | null) => string | null;
}) {
  if (nodes.length === 0) {
    return <p className="text-sm text-muted-foreground">No steps yet: the run is queued.</p>;
  }
  return (
    <ol className="grid gap-3" aria-label="Steps">
      {nodes.map((node) => (
        <StepItem key={node.step.id} node={node} streamed={streamed} agentName={agentName} />
      ))}
    </ol>
  );
}

function StepItem({
  node,
  streamed,
  agentName,
  nested = false,
}: {
  node: StepNode;
  streamed: Record<string, string>;
  agentName: (agentId: string | null) => string | null;
  nested?: boolean;
}) {
  const { step, children } = node;
  const Icon = KIND_ICONS[step.kind];
  const agent = agentName(step.agentId);
  const live = streamed[step.id];
  return (
    <li
      data-testid="step"
      data-step-kind={step.kind}
      data-step-status={step.status}
      className={cn(
        'grid min-w-0 gap-2 rounded-lg border p-3',
        nested ? 'bg-muted/30' : 'bg-card shadow-xs',
        step.status === 'waiting_for_approval' && 'border-warning/50 bg-warning/5',
      )}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <Icon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
        <span className="font-medium">{stepTitle(step)}</span>
        {agent && !nested ? <span className="text-muted-foreground">· {agent}</span> : null}
        <StepStatusBadge status={step.status} />
        <span className="ml-auto flex flex-wrap items-center gap-x-3 text-xs text-muted-foreground tabular-nums">
          {step.usage ? (
            <span>
              {formatCount(step.usage.inputTokens + step.usage.outputTokens)} tokens
              {step.usage.costMicros > 0 ? ` · ${formatCostMicros(step.usage.costMicros)}` : ''}
            </span>
          ) : null}
          {step.attempt > 1 ? <span>attempt {step.attempt}</span> : null}
          {step.startedAt ? <span>{formatElapsed(step.startedAt, step.finishedAt)}</span> : null}
        </span>
      </div>
      <StepBody step={step} live={live} />
      {step.error ? (
        <p className="text-sm text-destructive">
          {step.error.message} <code className="text-xs">({step.error.code})</code>
        </p>
      ) : null}
      {children.length > 0 ? (
        <ol className="grid gap-2 border-l pl-3 sm:ml-2" aria-label={`${stepTitle(step)}: details`}>
          {children.map((child) => (
            <StepItem
              key={child.step.id}
              node={child}
              streamed={streamed}
              agentName={agentName}
              nested
            />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

function stepTitle(step: Step): string {
  const input = step.input;
  switch (step.kind) {
    case 'plan':
      return 'Plan';
    case 'agent_turn':
      return typeof input.subtaskId === 'string' ? `Subtask ${input.subtaskId}` : 'Agent turn';
    case 'synthesis':
      return 'Synthesis';
    case 'model_call':
      return `Model call${typeof input.model === 'string' ? ` · ${input.model}` : ''}`;
    case 'tool_call':
      return `Tool · ${typeof input.tool === 'string' ? input.tool : 'unknown'}`;
    case 'approval': {
      const plan = readPlanApproval(input);
      if (plan)
        return plan.kind === 'plan' ? 'Approval · plan' : `Approval · subtask ${plan.subtaskId}`;
      return `Approval · ${typeof input.tool === 'string' ? input.tool : 'tool call'}`;
    }
  }
}

function StepBody({ step, live }: { step: Step; live: string | undefined }) {
  const { input, output } = step;
  if (step.kind === 'plan') {
    const plan = readRecord(output?.plan);
    const subtasks = Array.isArray(plan?.subtasks) ? plan.subtasks.map(readRecord) : [];
    if (subtasks.length === 0) return <LiveText text={live} />;
    return (
      <ol className="grid gap-1 text-sm">
        {subtasks.map((subtask, index) => (
          <li key={index} className="flex gap-2">
            <code className="shrink-0 text-xs text-muted-foreground">{String(subtask?.id)}</code>
            <span className="min-w-0">
              <span className="font-medium">{String(subtask?.agent ?? '')}</span>:{' '}
              {String(subtask?.task ?? '')}
            </span>
          </li>
        ))}
      </ol>
    );
  }
  if (step.kind === 'agent_turn' || step.kind === 'synthesis') {
    const text = typeof output?.text === 'string' ? output.text : null;
    const task = typeof input.task === 'string' ? input.task : null;
    return (
      <div className="grid gap-2 text-sm">
        {task && step.kind === 'agent_turn' ? (
          <p className="line-clamp-3 text-muted-foreground">{task}</p>
        ) : null}
        {text !== null ? (
          <p className="whitespace-pre-wrap break-words" data-testid="step-output">
            {text}
          </p>
        ) : (
          <LiveText text={live} running={step.status === 'running'} />
        )}
      </div>
    );
  }
  if (step.kind === 'model_call') {
    const message = readRecord(output?.message);
    const content = typeof message?.content === 'string' ? message.content : '';
    const calls = Array.isArray(message?.toolCalls) ? message.toolCalls.map(readRecord) : [];
    return (
      <div className="grid gap-1 text-sm">
        {content ? <p className="line-clamp-4 whitespace-pre-wrap break-words">{content}</p> : null}
        {calls.length > 0 ? (
          <p className="text-xs text-muted-foreground">
            Calls {calls.map((call) => String(call?.name ?? 'a tool')).join(', ')}
          </p>
        ) : null}
      </div>
    );
  }
  if (step.kind === 'tool_call') {
    return (
      <div className="grid gap-2 sm:grid-cols-2">
        <JsonBlock label="Arguments" value={input.arguments} />
        {output ? <JsonBlock label="Result" value={output.result} /> : null}
      </div>
    );
  }
  // approval
  const decided = output && output.approved === true;
  const plan = readPlanApproval(input);
  return (
    <div className="grid gap-2 text-sm">
      {typeof input.description === 'string' ? (
        <p className="text-muted-foreground">{input.description}</p>
      ) : null}
      {plan ? (
        <ul className="grid gap-1">
          {(plan.kind === 'plan'
            ? plan.subtasks
            : [{ id: plan.subtaskId, agent: plan.agent, task: plan.task }]
          ).map((subtask) => (
            <li key={subtask.id} className="flex gap-2">
              <code className="shrink-0 text-xs text-muted-foreground">{subtask.id}</code>
              <span className="min-w-0">
                <span className="font-medium">{subtask.agent}</span>: {subtask.task}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <JsonBlock label="Arguments" value={input.arguments} />
      )}
      {decided ? (
        <p className="text-xs text-muted-foreground">
          Approved
          {output.edited === true ? (plan ? ' with edited tasks' : ' with edited arguments') : ''}
          {typeof output.answer === 'string' ? `; answer: “${output.answer}”` : ''}
        </p>
      ) : null}
    </div>
  );
}

function LiveText({ text, running = false }: { text: string | undefined; running?: boolean }) {
  if (!text) {
    return running ? <p className="text-sm text-muted-foreground">Working…</p> : null;
  }
  return (
    <p
      className="whitespace-pre-wrap break-words text-sm"
      data-testid="step-streamed"
      aria-live="polite"
    >
      {text}
      {running ? (
        <span
          aria-hidden="true"
          className="ml-0.5 inline-block h-4 w-1.5 translate-y-0.5 animate-pulse bg-foreground/60 motion-reduce:animate-none"
        />
      ) : null}
    </p>
  );
}

export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="grid min-w-0 gap-1">
      <span className="text-xs font-medium text-muted-foreground">{label}</span>
      <pre className="max-h-48 overflow-auto rounded-md border bg-muted/50 p-2 font-mono text-xs break-words whitespace-pre-wrap">
        {formatJson(value)}
      </pre>
    </div>
  );
}

export function formatJson(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? 'null');
  } catch {
    text = String(value);
  }
  return text.length > MAX_JSON_CHARS ? `${text.slice(0, MAX_JSON_CHARS)}…` : text;
}

function readRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
