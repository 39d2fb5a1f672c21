import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/utils';

type PreviewEvent = {
  sequence: number;
  actor: string;
  text: string;
  tone: 'neutral' | 'brand' | 'warning';
};

// An illustration of the event stream a run produces; not live data.
const PREVIEW_EVENTS: PreviewEvent[] = [
  {
    sequence: 1,
    actor: 'run',
    text: 'Started: "Draft the release notes for this sprint"',
    tone: 'neutral',
  },
  {
    sequence: 2,
    actor: 'supervisor',
    text: 'Planned three steps and picked the agents',
    tone: 'brand',
  },
  {
    sequence: 3,
    actor: 'researcher',
    text: 'Called tool list_merged_pull_requests',
    tone: 'neutral',
  },
  { sequence: 4, actor: 'writer', text: 'Wrote a draft from the research notes', tone: 'neutral' },
  {
    sequence: 5,
    actor: 'supervisor',
    text: 'Wants to post the draft to the team channel',
    tone: 'warning',
  },
];

const DOT_TONES: Record<PreviewEvent['tone'], string> = {
  neutral: 'bg-muted-foreground/50',
  brand: 'bg-brand',
  warning: 'bg-warning',
};

export function RunPreview() {
  return (
    <Card className="gap-4 shadow-lg" aria-label="Illustration of a run's live events">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-sm">
          <span className="relative flex size-2">
            <span className="absolute inline-flex size-full animate-ping rounded-full bg-brand opacity-60 motion-reduce:animate-none" />
            <span className="relative inline-flex size-2 rounded-full bg-brand" />
          </span>
          Run events, live
        </CardTitle>
        <CardDescription className="text-xs">Illustration</CardDescription>
      </CardHeader>
      <CardContent>
        <ol className="space-y-3">
          {PREVIEW_EVENTS.map((event) => (
            <li key={event.sequence} className="flex gap-3 text-sm">
              <span className="w-6 shrink-0 pt-0.5 text-right font-mono text-xs text-muted-foreground">
                #{event.sequence}
              </span>
              <span className={cn('mt-1.5 size-2 shrink-0 rounded-full', DOT_TONES[event.tone])} />
              <span className="min-w-0">
                <span className="font-mono text-xs text-muted-foreground">{event.actor}</span>
                <span className="block leading-snug">{event.text}</span>
              </span>
            </li>
          ))}
        </ol>
        <div className="mt-5 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-warning/30 bg-warning/5 px-3 py-2.5 text-sm">
          <span className="flex items-center gap-2">
            <Badge variant="warning">waiting for approval</Badge>
            <span className="text-muted-foreground">post_message</span>
          </span>
          <span className="flex gap-2" aria-hidden="true">
            <span className="rounded-md border bg-background px-2.5 py-1 text-xs">Reject</span>
            <span className="rounded-md bg-primary px-2.5 py-1 text-xs text-primary-foreground">
              Approve
            </span>
          </span>
        </div>
      </CardContent>
    </Card>
  );
}
