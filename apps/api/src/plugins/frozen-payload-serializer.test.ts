import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { frozenPayloadSerializerCompiler } from './frozen-payload-serializer';

function compile() {
  let validations = 0;
  const schema = z.object({ name: z.string(), tags: z.array(z.string()) }).refine(() => {
    validations += 1;
    return true;
  });
  const serialize = frozenPayloadSerializerCompiler({ schema, method: 'GET', url: '/test' });
  return { serialize, validations: () => validations };
}

describe('frozenPayloadSerializerCompiler', () => {
  it('validates and stringifies a frozen payload once, then reuses the JSON', () => {
    const { serialize, validations } = compile();
    const payload = Object.freeze({ name: 'Ada', tags: Object.freeze(['a']), extra: 'dropped' });

    expect(serialize(payload)).toBe('{"name":"Ada","tags":["a"]}');
    expect(serialize(payload)).toBe('{"name":"Ada","tags":["a"]}');
    expect(validations()).toBe(1);
  });

  it('serializes a payload that can change on every call', () => {
    const { serialize, validations } = compile();
    const payload = { name: 'Ada', tags: ['a'] };

    expect(serialize(payload)).toBe('{"name":"Ada","tags":["a"]}');
    payload.name = 'Grace';
    expect(serialize(payload)).toBe('{"name":"Grace","tags":["a"]}');
    expect(validations()).toBe(2);
  });

  it('refuses an invalid frozen payload every time', () => {
    const { serialize } = compile();
    const payload = Object.freeze({ name: 42 });

    expect(() => serialize(payload)).toThrow();
    expect(() => serialize(payload)).toThrow();
  });
});
