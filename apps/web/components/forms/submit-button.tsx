import { LoaderCircle } from 'lucide-react';
import type { ComponentProps } from 'react';
import { Button } from '@/components/ui/button';

type SubmitButtonProps = ComponentProps<typeof Button> & {
  isPending: boolean;
  /** Text shown while pending, e.g. "Saving…". */
  pendingLabel?: string;
};

/** A submit button that shows a spinner and stays disabled while its request runs. */
export function SubmitButton({
  isPending,
  pendingLabel,
  children,
  disabled,
  ...props
}: SubmitButtonProps) {
  return (
    <Button type="submit" disabled={isPending || disabled} aria-busy={isPending} {...props}>
      {isPending ? <LoaderCircle className="animate-spin" aria-hidden="true" /> : null}
      {isPending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}
