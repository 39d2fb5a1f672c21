import { Check } from 'lucide-react';

const DEFAULTS = [
  { setting: 'DATABASE_URL', isVariable: true, fallback: 'an embedded PostgreSQL under .data/' },
  { setting: 'REDIS_URL', isVariable: true, fallback: 'a local Redis on the default port' },
  { setting: 'S3 settings', isVariable: false, fallback: 'files on local disk' },
  {
    setting: 'model API key',
    isVariable: false,
    fallback: 'a clearly labelled offline model, so every flow works',
  },
];

export function SelfHosting() {
  return (
    <section id="self-hosting" className="scroll-mt-16">
      <div className="mx-auto grid max-w-6xl items-center gap-10 px-4 py-16 sm:px-6 md:py-20 lg:grid-cols-2">
        <div className="space-y-4">
          <p className="text-sm font-medium text-brand">Self-hosting</p>
          <h2 className="text-3xl font-semibold tracking-tight text-balance">
            One command on a laptop. Kubernetes when you grow.
          </h2>
          <p className="text-pretty text-muted-foreground">
            Locally, everything starts with nothing configured. Point the same code at managed
            PostgreSQL, Redis and S3-compatible storage by setting their URLs; nothing else changes.
            The api and workers are stateless, so they scale out behind a load balancer, and
            Kubernetes manifests are on the way.
          </p>
          <ul className="space-y-2 text-sm">
            {DEFAULTS.map(({ setting, isVariable, fallback }) => (
              <li key={setting} className="flex gap-2">
                <Check className="mt-0.5 size-4 shrink-0 text-success" aria-hidden="true" />
                <span>
                  No{' '}
                  {isVariable ? (
                    <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs">
                      {setting}
                    </code>
                  ) : (
                    setting
                  )}
                  : {fallback}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <div className="overflow-hidden rounded-xl border bg-zinc-950 text-zinc-100 shadow-lg">
          <div className="flex items-center gap-1.5 border-b border-white/10 px-4 py-3">
            <span className="size-2.5 rounded-full bg-white/20" />
            <span className="size-2.5 rounded-full bg-white/20" />
            <span className="size-2.5 rounded-full bg-white/20" />
            <span className="ml-2 font-mono text-xs text-zinc-400">terminal</span>
          </div>
          <pre className="overflow-x-auto p-5 font-mono text-sm leading-relaxed">
            <code>
              <span className="text-zinc-500"># install once</span>
              {'\n'}
              <span className="text-teal-300">$</span> npm install
              {'\n\n'}
              <span className="text-zinc-500"># runs the whole stack</span>
              {'\n'}
              <span className="text-teal-300">$</span> npm start
            </code>
          </pre>
        </div>
      </div>
    </section>
  );
}
