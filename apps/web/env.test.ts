import { describe, expect, it } from 'vitest';
import { parseWebEnv } from './env';

describe('parseWebEnv', () => {
  it('defaults API_INTERNAL_URL to the local api', () => {
    expect(parseWebEnv({}).API_INTERNAL_URL).toBe('http://127.0.0.1:4000');
  });

  it('treats an empty API_INTERNAL_URL as unset', () => {
    expect(parseWebEnv({ API_INTERNAL_URL: '' }).API_INTERNAL_URL).toBe('http://127.0.0.1:4000');
  });

  it('drops trailing slashes so paths can be appended', () => {
    expect(parseWebEnv({ API_INTERNAL_URL: 'http://api:4000/' }).API_INTERNAL_URL).toBe(
      'http://api:4000',
    );
  });

  it('refuses a URL that is not http(s), naming the setting', () => {
    expect(() => parseWebEnv({ API_INTERNAL_URL: 'redis://api:4000' })).toThrow(
      /API_INTERNAL_URL: must be an http\(s\) URL/,
    );
  });

  it('refuses a build folder outside apps/web', () => {
    expect(() => parseWebEnv({ WEB_DIST_DIR: '../elsewhere' })).toThrow(/WEB_DIST_DIR/);
  });
});
