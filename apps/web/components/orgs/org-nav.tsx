'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils';

const SECTIONS = [
  { segment: 'runs', label: 'Runs' },
  { segment: 'agents', label: 'Agents' },
  { segment: 'teams', label: 'Teams' },
  { segment: 'schedules', label: 'Schedules' },
  { segment: 'settings', label: 'Settings' },
] as const;

/** The sections of an organisation, as links under its name; the current one is marked. */
export function OrgNav({ orgId }: { orgId: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Organisation" className="-mt-4 border-b">
      <ul className="flex gap-1 overflow-x-auto">
        {SECTIONS.map(({ segment, label }) => {
          const href = `/orgs/${orgId}/${segment}`;
          const isCurrent = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={segment}>
              <Link
                href={href}
                aria-current={isCurrent ? 'page' : undefined}
                className={cn(
                  '-mb-px inline-flex h-10 items-center border-b-2 px-3 text-sm font-medium transition-colors',
                  isCurrent
                    ? 'border-foreground text-foreground'
                    : 'border-transparent text-muted-foreground hover:text-foreground',
                )}
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
