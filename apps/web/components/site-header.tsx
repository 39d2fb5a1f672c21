import Link from 'next/link';
import { SwitchyardLogo } from '@/components/switchyard-logo';
import { Button } from '@/components/ui/button';
import { UserMenu } from '@/components/user-menu';

export function SiteHeader() {
  return (
    <header className="sticky top-0 z-40 border-b bg-background/80 backdrop-blur supports-[backdrop-filter]:bg-background/60">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <SwitchyardLogo />
          <span>Switchyard</span>
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1 text-sm">
          <Button asChild variant="ghost" size="sm" className="hidden md:inline-flex">
            <Link href="/#features">Features</Link>
          </Button>
          <Button asChild variant="ghost" size="sm" className="hidden sm:inline-flex">
            <Link href="/status">Status</Link>
          </Button>
          {/* Served by the api through the /api proxy, not a Next route: a plain link. */}
          <Button asChild variant="ghost" size="sm" className="hidden sm:inline-flex">
            <a href="/api/docs">API docs</a>
          </Button>
          <UserMenu />
        </nav>
      </div>
    </header>
  );
}
