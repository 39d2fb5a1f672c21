'use client';

import { useId, useState } from 'react';
import { FormError } from '@/components/forms/form-error';
import { JsonBlock, formatJson } from '@/components/runs/step-tree';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { describeError } from '@/lib/api/api-error';
import { approveStep, rejectStep, type ApproveStepInput } from '@/lib/api/runs';
import type { Step } from '@/lib/api/runtime-schemas';

/**
 * A tool call waiting for a person: approve it (for `ask_human`, with an answer; otherwise
 * optionally with edited arguments as JSON) or reject it with a reason, which cancels the run.
 */
export function ApprovalCard({
  orgId,
  runId,
  step,
  onDecided,
}: {
  orgId: string;
  runId: string;
  step: Step;
  onDecided: () => void;
}) {
  const id = useId();
  const tool = typeof step.input.tool === 'string' ? step.input.tool : 'tool';
  const isQuestion = tool === 'ask_human';
  const args = step.input.arguments;
  const question =
    isQuestion && typeof args === 'object' && args !== null && 'question' in args
      ? String(args.question)
      : null;
  const [answer, setAnswer] = useState('');
  const [argumentsText, setArgumentsText] = useState(() => formatJson(args ?? {}));
  const [comment, setComment] = useState('');
  const [isRejecting, setIsRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [argumentsError, setArgumentsError] = useState<string | null>(null);
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
    const input: ApproveStepInput = {};
    if (comment.trim()) input.comment = comment.trim();
    if (isQuestion) {
      if (answer.trim()) input.answer = answer.trim();
    } else if (argumentsText.trim() !== formatJson(args ?? {}).trim()) {
      try {
        input.arguments = JSON.parse(argumentsText) as unknown;
      } catch {
        setArgumentsError('The arguments are not valid JSON.');
        return;
      }
    }
    setArgumentsError(null);
    void decide(() => approveStep(orgId, runId, step.id, input));
  };

  return (
    <section
      aria-labelledby={`${id}-title`}
      data-testid="approval"
      className="grid gap-4 rounded-xl border border-warning/50 bg-warning/5 p-4 sm:p-5"
    >
      <div className="grid gap-1">
        <h3 id={`${id}-title`} className="font-semibold">
          {isQuestion ? 'The agent asks a question' : `Approve the call to ${tool}?`}
        </h3>
        <p className="text-sm text-muted-foreground">
          The run is paused until someone decides. Rejecting cancels the run.
        </p>
      </div>
      {question ? (
        <blockquote className="border-l-2 border-warning pl-3 text-sm whitespace-pre-wrap">
          {question}
        </blockquote>
      ) : (
        <JsonBlock label="Arguments the agent wants to use" value={args} />
      )}
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
            <Button
              variant="destructive"
              disabled={isPending}
              onClick={() =>
                void decide(() =>
                  rejectStep(orgId, runId, step.id, reason.trim() ? { reason: reason.trim() } : {}),
                )
              }
            >
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
