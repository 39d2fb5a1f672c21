import { describe, expect, it } from 'vitest';
import { estimateMessageTokens, estimateTokens } from './estimate-tokens';

describe('estimateTokens', () => {
  it('counts about four characters per token, rounding up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abc')).toBe(1);
    expect(estimateTokens('a'.repeat(400))).toBe(100);
  });

  it('counts messages, their tool calls and a per-message overhead', () => {
    const plain = estimateMessageTokens([{ role: 'user', content: 'a'.repeat(40) }]);
    expect(plain).toBe(14);
    const withCall = estimateMessageTokens([
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'c1', name: 'calculator', arguments: { expression: '2+2' } }],
      },
    ]);
    expect(withCall).toBeGreaterThan(4);
  });
});
