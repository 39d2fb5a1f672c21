import Link from 'next/link';
import { SwitchyardLogo } from '@/components/switchyard-logo';

export function SiteFooter() {
  return (
    <footer className="border-t">
      <div className="mx-auto flex max-w-6xl flex-col gap-4 px-4 py-8 text-sm text-muted-foreground sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <div className="flex items-center gap-2">
          <SwitchyardLogo className="size-5" />
          <span>Switchyard: a self-hostable platform for teams of AI agents.</span>
        </div>
        <nav aria-label="Footer" className="flex flex-wrap gap-x-5 gap-y-2">
          <Link href="/status" className="hover:text-foreground">
            Status
          </Link>
          <a href="/api/docs" className="hover:text-foreground">
            API docs
          </a>
          <a href="/api/openapi.json" className="hover:text-foreground">
            OpenAPI spec
          </a>
        </nav>
      </div>
    </footer>
  );
}
