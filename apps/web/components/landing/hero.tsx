import Link from 'next/link';
import { ArrowRight, BookOpen } from 'lucide-react';
import { RunPreview } from '@/components/landing/run-preview';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';

export function Hero() {
  return (
    <section className="relative overflow-hidden border-b">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-0 bg-[radial-gradient(ellipse_at_top,var(--color-brand)_0%,transparent_60%)] opacity-[0.12]"
      />
      <div className="relative mx-auto grid max-w-6xl items-center gap-12 px-4 py-16 sm:px-6 md:py-24 lg:grid-cols-[1.1fr_1fr]">
        <div className="space-y-6">
          <Badge variant="outline" className="bg-background/60 px-3 py-1">
            Self-hostable · TypeScript · Postgres + Redis
          </Badge>
          <h1 className="text-4xl font-semibold tracking-tight text-balance sm:text-5xl">
            A team of AI agents on your task. You stay in charge.
          </h1>
          <p className="max-w-xl text-lg text-pretty text-muted-foreground">
            Switchyard is a platform you run yourself. Hand a task to a team of AI agents, watch the
            run live as they work, approve the risky steps before they happen, and pay only for what
            the agents use.
          </p>
          <div className="flex flex-wrap gap-3">
            <Button asChild size="lg">
              <Link href="/status">
                Check system status
                <ArrowRight />
              </Link>
            </Button>
            <Button asChild size="lg" variant="outline">
              <a href="/api/docs">
                <BookOpen />
                Explore the API
              </a>
            </Button>
          </div>
        </div>
        <RunPreview />
      </div>
    </section>
  );
}
