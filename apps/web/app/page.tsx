import {
  ArrowRightLeft,
  Database,
  Gauge,
  Hand,
  Layers,
  Network,
  Radio,
  RefreshCw,
  Workflow,
} from 'lucide-react';
import { FeatureSection, type Feature } from '@/components/landing/feature-section';
import { Hero } from '@/components/landing/hero';
import { SelfHosting } from '@/components/landing/self-hosting';

const AGENT_TEAMS: Feature[] = [
  {
    icon: Network,
    title: 'Supervisor',
    description:
      'A lead agent plans the work, hands pieces to specialist agents, and combines what they return. Independent steps run in parallel.',
  },
  {
    icon: Workflow,
    title: 'Sequential',
    description:
      'A pipeline: each agent takes the previous one’s output and moves it one stage further, from research to draft to review.',
  },
  {
    icon: ArrowRightLeft,
    title: 'Handoff',
    description:
      'An agent passes the task, with its context, to another agent better suited to the next part, as a person would hand over a ticket.',
  },
];

const DURABILITY: Feature[] = [
  {
    icon: Database,
    title: 'PostgreSQL is the truth',
    description:
      'Runs, steps, events, usage and approvals are rows in PostgreSQL. Redis holds only what can be rebuilt from them.',
  },
  {
    icon: Layers,
    title: 'Queued with BullMQ',
    description:
      'Starting a run answers at once; workers pick steps off BullMQ queues. Jobs carry ids, not payloads, and enqueueing a step twice is harmless.',
  },
  {
    icon: RefreshCw,
    title: 'Crash-safe retries',
    description:
      'If a worker dies mid-step, another one resumes from the last checkpoint. Tools with side effects carry idempotency keys, so a retry never repeats them.',
  },
];

const CONTROL: Feature[] = [
  {
    icon: Radio,
    title: 'Live events',
    description:
      'Every step, tool call and message is an event with a per-run sequence number. Reconnect after a drop and pick up where you left off, nothing missed or repeated.',
  },
  {
    icon: Hand,
    title: 'Approvals',
    description:
      'Risky steps pause the run until someone approves or rejects them. A waiting run holds no worker, and any run can be cancelled at any time.',
  },
  {
    icon: Gauge,
    title: 'Budgets and usage',
    description:
      'Token, cost, step and time limits are checked before each model call. Usage is recorded once per call and feeds analytics and billing.',
  },
];

export default function HomePage() {
  return (
    <>
      <Hero />
      <FeatureSection
        id="features"
        eyebrow="Agent teams"
        title="Pick how your agents work together"
        intro="A run is a task handed to a team. Choose the shape of the team that fits the task."
        features={AGENT_TEAMS}
      />
      <FeatureSection
        id="durable-runs"
        className="bg-muted/40"
        eyebrow="Durable runs"
        title="Runs that survive restarts and crashes"
        intro="Agent runs take minutes, sometimes hours. Switchyard treats every step as durable work, not a request that must not fail."
        features={DURABILITY}
      />
      <FeatureSection
        id="control"
        eyebrow="Stay in control"
        title="Watch the run, approve the risky parts, cap the spend"
        intro="You see what the agents do as they do it, and nothing with side effects happens without the approval it needs."
        features={CONTROL}
      />
      <SelfHosting />
    </>
  );
}
