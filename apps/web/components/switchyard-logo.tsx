import { cn } from '@/lib/utils';

/** A track with a switch branching off it: the same drawing as `app/icon.svg`. */
export function SwitchyardLogo({ className }: { className?: string }) {
  return (
    <svg
      viewBox="0 0 32 32"
      fill="none"
      aria-hidden="true"
      className={cn('size-7 shrink-0', className)}
    >
      <rect width="32" height="32" rx="7" className="fill-brand" />
      <path
        d="M6 22h20M10 22c5 0 7-10 16-10"
        className="stroke-background"
        strokeWidth="2.6"
        strokeLinecap="round"
      />
      <circle cx="10" cy="22" r="2.6" className="fill-background" />
    </svg>
  );
}
