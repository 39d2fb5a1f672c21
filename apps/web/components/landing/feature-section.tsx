import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/utils';

export type Feature = { icon: LucideIcon; title: string; description: ReactNode };

type FeatureSectionProps = {
  id?: string;
  className?: string;
  eyebrow: string;
  title: string;
  intro: string;
  features: Feature[];
};

export function FeatureSection({
  id,
  className,
  eyebrow,
  title,
  intro,
  features,
}: FeatureSectionProps) {
  return (
    <section id={id} className={cn('scroll-mt-16 border-b', className)}>
      <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6 md:py-20">
        <div className="max-w-2xl space-y-3">
          <p className="text-sm font-medium text-brand">{eyebrow}</p>
          <h2 className="text-3xl font-semibold tracking-tight text-balance">{title}</h2>
          <p className="text-pretty text-muted-foreground">{intro}</p>
        </div>
        <div className="mt-10 grid gap-4 md:grid-cols-3">
          {features.map(({ icon: Icon, title: featureTitle, description }) => (
            <Card key={featureTitle} className="gap-0 transition-colors hover:border-brand/40">
              <CardHeader className="gap-3">
                <span className="flex size-10 items-center justify-center rounded-lg bg-brand/10 text-brand">
                  <Icon className="size-5" aria-hidden="true" />
                </span>
                <CardTitle>
                  <h3 className="text-base">{featureTitle}</h3>
                </CardTitle>
                <CardDescription className="leading-relaxed">{description}</CardDescription>
              </CardHeader>
            </Card>
          ))}
        </div>
      </div>
    </section>
  );
}
