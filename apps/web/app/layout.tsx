import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteFooter } from '@/components/site-footer';
import { SiteHeader } from '@/components/site-header';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Switchyard: a team of AI agents on your task', template: '%s · Switchyard' },
  description:
    'Switchyard is a self-hostable platform where a team of AI agents works on a task: watch the run live, approve risky steps, and pay for what is used.',
  applicationName: 'Switchyard',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#09090b' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col">
        <Providers>
          <SiteHeader />
          <main className="flex-1">{children}</main>
          <SiteFooter />
        </Providers>
      </body>
    </html>
  );
}
