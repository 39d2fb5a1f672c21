import { describe, expect, it } from 'vitest';
import { resolveRunPriority } from './resolve-run-priority';

describe('resolveRunPriority', () => {
  it('gives interactive runs their plan tier priority, paid tiers first', () => {
    const free = resolveRunPriority({ planTier: 'free', scheduled: false });
    const pro = resolveRunPriority({ planTier: 'pro', scheduled: false });
    const enterprise = resolveRunPriority({ planTier: 'enterprise', scheduled: false });
    expect(enterprise).toBeLessThan(pro);
    expect(pro).toBeLessThan(free);
  });

  it('makes scheduled runs less urgent than interactive ones of the same tier', () => {
    expect(resolveRunPriority({ planTier: 'pro', scheduled: true })).toBeGreaterThan(
      resolveRunPriority({ planTier: 'pro', scheduled: false }),
    );
  });

  it('never lets a run be more urgent than its tier allows', () => {
    expect(resolveRunPriority({ planTier: 'free', requested: 1, scheduled: false })).toBe(5);
    expect(resolveRunPriority({ planTier: 'enterprise', requested: 1, scheduled: false })).toBe(1);
  });

  it('lets a run ask to be less urgent, down to the lowest priority', () => {
    expect(resolveRunPriority({ planTier: 'free', requested: 9, scheduled: false })).toBe(9);
    expect(resolveRunPriority({ planTier: 'free', requested: 10, scheduled: true })).toBe(10);
  });
});
