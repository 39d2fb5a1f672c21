'use client';

import { useQuery } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { buildOAuthStartUrl, listOAuthProviders } from '@/lib/api/auth';

/** "Continue with …" for each identity provider the api is configured with; nothing if none. */
export function OAuthButtons({ redirectTo }: { redirectTo: string }) {
  const providers = useQuery({
    queryKey: ['oauth-providers'],
    queryFn: () => listOAuthProviders(),
    staleTime: 5 * 60_000,
  });
  const list = providers.data ?? [];
  if (list.length === 0) return null;
  return (
    <div className="grid gap-4">
      <div className="flex items-center gap-3 text-xs text-muted-foreground uppercase">
        <span className="h-px flex-1 bg-border" />
        or
        <span className="h-px flex-1 bg-border" />
      </div>
      <div className="grid gap-2">
        {list.map((provider) => (
          <Button key={provider.id} asChild variant="outline">
            {/* A full navigation: the api answers with a redirect to the provider. */}
            <a href={buildOAuthStartUrl(provider.id, redirectTo)}>
              <KeyRound aria-hidden="true" />
              Continue with {provider.displayName}
            </a>
          </Button>
        ))}
      </div>
    </div>
  );
}
