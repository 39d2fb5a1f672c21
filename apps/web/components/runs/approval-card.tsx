'use client';

import { useId, useState, type ReactNode } from 'react';
import { FormError } from '@/components/forms/form-error';
import { JsonBlock, formatJson } from '@/components/runs/step-tree';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { describeError } from '@/lib/api/api-error';
import { approveStep, rejectStep, type ApproveStepInput } from '@/lib/api/runs';
import type { Step } from '@/lib/api/runtime-schemas';
import { buildPlanEdits, readPlanApproval, type PlanApproval } from '@/lib/runs/plan-approval';

type ApprovalCardProps = { orgId: string; runId: string; step: Step; onDecided: () => void };

/**
 * A step waiting for a person. A tool call: approve it (for `ask_human` with an answer, otherwise
 * optionally with edited arguments as JSON). A supervisor's plan, or one planned subtask: approve
 * it, optionally with edited tasks. Or reject it with a reason, which cancels the run.
 */
export function ApprovalCard(props: ApprovalCardProps) {
  const plan = readPlanApproval(props.step.input);
  return plan ? <PlanApprovalCard {...props} plan={plan} /> : <ToolApprovalCard {...props} />;
}

function ToolApprovalCard({ orgId, runId, step, onDecided }: ApprovalCardProps) {
  const id = useId();
  const tool = typeof step.input.tool === 'string' ? step.input.tool : 'tool';
  const isQuestion = tool === 'ask_human';
  const args = step.input.arguments;
  const question =
    isQuestion && typeof args === 'object' && args !== null && 'question' in args
      ? String(args.question)
      : null;
  const original = formatJson(args ?? {});
  const [answer, setAnswer] = useState('');
  const [argumentsText, setArgumentsText] = useState(original);
  const [argumentsError, setArgumentsError] = useState<string | null>(null);

  const buildInput = (): ApproveStepInput | null => {
    if (isQuestion) return answer.trim() ? { answer: answer.trim() } : {};
    if (argumentsText.trim() === original.trim()) return {};
    try {
      setArgumentsError(null);
      return { arguments: JSON.parse(argumentsText) as unknown };
    } catch {
      setArgumentsError('The arguments are not valid JSON.');
      return null;
    }
  };

  return (
    <ApprovalFrame
      orgId={orgId}
      runId={runId}
      step={step}
      onDecided={onDecided}
      title={isQuestion ? 'The agent asks a question' : `Approve the call to ${tool}?`}
      buildInput={buildInput}
      summary={
        question ? (
          <blockquote className="border-l-2 border-warning pl-3 text-sm whitespace-pre-wrap">
            {question}
          </blockquote>
        ) : (
          <JsonBlock label="Arguments the agent wants to use" value={args} />
        )
      }
    >
      {isQuestion ? (
        <div className="grid gap-2">
          <Label htmlFor={`${id}-answer`}>Your answer</Label>
          <Textarea
            id={`${id}-answer`}
            rows={2}
            value={answer}
            onChange={(event) => setAnswer(event.target.value)}
          />
        </div>
      ) : (
        <div className="grid gap-2">
          <Label htmlFor={`${id}-arguments`}>Arguments (JSON; edit to change them)</Label>
          <Textarea
            id={`${id}-arguments`}
            rows={4}
            className="font-mono text-xs"
            value={argumentsText}
            aria-invalid={argumentsError ? true : undefined}
            aria-describedby={argumentsError ? `${id}-arguments-error` : undefined}
            onChange={(event) => setArgumentsText(event.target.value)}
          />
          {argumentsError ? (
            <p id={`${id}-arguments-error`} className="text-sm text-destructive">
              {argumentsError}
            </p>
          ) : null}
        </div>
      )}
    </ApprovalFrame>
  );
}

function PlanApprovalCard({ plan, ...props }: ApprovalCardProps & { plan: PlanApproval }) {
  const id = useId();
  const subtasks =
    plan.kind === 'plan'
      ? plan.subtasks
      : [{ id: plan.subtaskId, agent: plan.agent, task: plan.task, dependsOn: [] }];
  const [tasks, setTasks] = useState<Record<string, string>>(() =>
    Object.fromEntries(subtasks.map((subtask) => [subtask.id, subtask.task])),
  );
  const edits = buildPlanEdits(plan, tasks);
  return (
    <ApprovalFrame
      {...props}
      title={
        plan.kind === 'plan'
          ? 'Approve the plan?'
          : `Approve subtask ${plan.subtaskId} before it runs?`
      }
      description={
        plan.kind === 'plan'
          ? 'No subtask starts until the plan is approved. You may reword the tasks; agents and order stay as planned.'
          : 'The planner asked for a person to approve this subtask; the rest of the plan goes on meanwhile. You may reword its task.'
      }
      buildInput={() => (edits ? { arguments: edits } : {})}
    >
      <ol className="grid gap-3" aria-label="Planned subtasks">
        {subtasks.map((subtask) => (
          <li key={subtask.id} className="grid gap-2">
            <Label htmlFor={`${id}-${subtask.id}`} className="flex flex-wrap items-center gap-2">
              <span>Task of subtask {subtask.id}</span>
              <Badge variant="outline">{subtask.agent}</Badge>
              {subtask.dependsOn.length > 0 ? (
                <span className="text-xs font-normal text-muted-foreground">
                  after {subtask.dependsOn.join(', ')}
                </span>
              ) : null}
            </Label>
            <Textarea
              id={`${id}-${subtask.id}`}
              rows={2}
              value={tasks[subtask.id] ?? ''}
              onChange={(event) =>
                setTasks((current) => ({ ...current, [subtask.id]: event.target.value }))
              }
            />
          </li>
        ))}
      </ol>
    </ApprovalFrame>
  );
}

/**
 * The frame every approval shares: title, the fields for approving (`children`), a comment, and
 * "Reject…" which swaps them for a reason field. `buildInput` returns null to block approving
 * (its fields show why).
 */
function ApprovalFrame({
  orgId,
  runId,
  step,
  onDecided,
  title,
  description = 'The run is paused until someone decides. Rejecting cancels the run.',
  summary,
  buildInput,
  children,
}: ApprovalCardProps & {
  title: string;
  description?: string;
  summary?: ReactNode;
  buildInput: () => ApproveStepInput | null;
  children: ReactNode;
}) {
  const id = useId();
  const [comment, setComment] = useState('');
  const [isRejecting, setIsRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isPending, setIsPending] = useState(false);

  const decide = async (action: () => Promise<void>) => {
    setIsPending(true);
    setError(null);
    try {
      await action();
      onDecided();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsPending(false);
    }
  };
  const approve = () => {
    const input = buildInput();
    if (input === null) return;
    if (comment.trim()) input.comment = comment.trim();
    void decide(() => approveStep(orgId, runId, step.id, input));
  };
  const reject = () => {
    const input = reason.trim() ? { reason: reason.trim() } : {};
    void decide(() => rejectStep(orgId, runId, step.id, input));
  };

  return (
    <section
      aria-labelledby={`${id}-title`}
      data-testid="approval"
      className="grid gap-4 rounded-xl border border-warning/50 bg-warning/5 p-4 sm:p-5"
    >
      <div className="grid gap-1">
        <h3 id={`${id}-title`} className="font-semibold">
          {title}
        </h3>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      {summary}
      {isRejecting ? (
        <div className="grid gap-2">
          <Label htmlFor={`${id}-reason`}>Reason for rejecting (optional)</Label>
          <Textarea
            id={`${id}-reason`}
            rows={2}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
      ) : (
        <div className="grid gap-3">
          {children}
          <div className="grid gap-2">
            <Label htmlFor={`${id}-comment`}>Comment (optional)</Label>
            <Textarea
              id={`${id}-comment`}
              rows={1}
              value={comment}
              onChange={(event) => setComment(event.target.value)}
            />
          </div>
        </div>
      )}
      <FormError message={error === null ? null : describeError(error)} />
      <div className="flex flex-wrap gap-2">
        {isRejecting ? (
          <>
            <Button variant="destructive" disabled={isPending} onClick={reject}>
              Reject and cancel the run
            </Button>
            <Button variant="outline" disabled={isPending} onClick={() => setIsRejecting(false)}>
              Back
            </Button>
          </>
        ) : (
          <>
            <Button disabled={isPending} onClick={approve}>
              Approve
            </Button>
            <Button variant="outline" disabled={isPending} onClick={() => setIsRejecting(true)}>
              Reject…
            </Button>
          </>
        )}
      </div>
    </section>
  );
}
