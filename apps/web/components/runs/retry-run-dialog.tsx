'use client';

import { RotateCcw } from 'lucide-react';
import { useId, useState } from 'react';
import { FormError } from '@/components/forms/form-error';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { describeError } from '@/lib/api/api-error';
import { retryRun, type RunBudgetInput } from '@/lib/api/runs';
import type { Run } from '@/lib/api/runtime-schemas';

/**
 * "Retry" for a failed run: its failed steps run again from their last checkpoint. A run stopped
 * by its budget gets a field to raise the token limit, else it would stop again at once.
 */
export function RetryRunDialog({
  orgId,
  run,
  onRetried,
}: {
  orgId: string;
  run: Run;
  onRetried: (run: Run) => void;
}) {
  const id = useId();
  const overBudget = run.stopReason === 'budget_exceeded' || run.error?.code === 'budget_exceeded';
  const [isOpen, setIsOpen] = useState(false);
  const [maxTokens, setMaxTokens] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isPending, setIsPending] = useState(false);

  const confirm = async () => {
    const trimmed = maxTokens.trim();
    if (trimmed && !/^[1-9]\d*$/.test(trimmed)) {
      setFieldError('Enter a whole number of tokens, or leave it empty.');
      return;
    }
    setFieldError(null);
    setError(null);
    setIsPending(true);
    try {
      const budget: RunBudgetInput | undefined = trimmed
        ? { ...run.budget, maxTokens: Number(trimmed) }
        : undefined;
      onRetried(await retryRun(orgId, run.id, budget ? { budget } : {}));
      setIsOpen(false);
    } catch (caught) {
      setError(caught);
    } finally {
      setIsPending(false);
    }
  };

  return (
    <Dialog
      open={isOpen}
      onOpenChange={(open) => {
        setIsOpen(open);
        if (open) {
          setError(null);
          setFieldError(null);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm">
          <RotateCcw aria-hidden="true" />
          Retry
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Retry this run?</DialogTitle>
          <DialogDescription>
            Its failed steps run again from their last checkpoint; finished steps are kept.
            {overBudget ? ' It stopped at its budget: raise the limit or it stops again.' : ''}
          </DialogDescription>
        </DialogHeader>
        <div className="grid gap-2">
          <Label htmlFor={`${id}-max-tokens`}>New max tokens (optional)</Label>
          <Input
            id={`${id}-max-tokens`}
            inputMode="numeric"
            placeholder={
              run.budget.maxTokens === undefined ? 'No limit' : `Now ${run.budget.maxTokens}`
            }
            value={maxTokens}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${id}-max-tokens-error` : undefined}
            onChange={(event) => setMaxTokens(event.target.value)}
          />
          {fieldError ? (
            <p id={`${id}-max-tokens-error`} className="text-sm text-destructive">
              {fieldError}
            </p>
          ) : null}
        </div>
        <FormError message={error === null ? null : describeError(error)} />
        <DialogFooter>
          <Button variant="outline" onClick={() => setIsOpen(false)}>
            Cancel
          </Button>
          <Button disabled={isPending} onClick={() => void confirm()}>
            Retry run
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
