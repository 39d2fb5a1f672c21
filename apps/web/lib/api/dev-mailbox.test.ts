import { describe, expect, it } from 'vitest';
import { splitLinks } from './dev-mailbox';

describe('splitLinks', () => {
  it('splits text around each http(s) link and drops trailing punctuation from links', () => {
    expect(
      splitLinks('Confirm here: http://localhost:3000/verify-email?token=a_b-c. Thanks'),
    ).toEqual([
      { kind: 'text', text: 'Confirm here: ' },
      { kind: 'link', href: 'http://localhost:3000/verify-email?token=a_b-c' },
      { kind: 'text', text: '. Thanks' },
    ]);
  });

  it('finds several links and leaves other schemes as text', () => {
    const parts = splitLinks('a https://x.test/1\njavascript:alert(1) (https://x.test/2)');
    expect(parts.filter((part) => part.kind === 'link')).toEqual([
      { kind: 'link', href: 'https://x.test/1' },
      { kind: 'link', href: 'https://x.test/2' },
    ]);
    expect(parts.map((part) => (part.kind === 'text' ? part.text : part.href)).join('')).toBe(
      'a https://x.test/1\njavascript:alert(1) (https://x.test/2)',
    );
  });

  it('returns the text alone when there is no link', () => {
    expect(splitLinks('no links')).toEqual([{ kind: 'text', text: 'no links' }]);
  });
});
