import { describe, expect, it } from 'vitest';
import { AppError, ERROR_TABLE, toProblem } from './errors';

describe('toProblem', () => {
  it('maps every error code to its HTTP status and title', () => {
    for (const [code, entry] of Object.entries(ERROR_TABLE)) {
      const problem = toProblem(new AppError(code as keyof typeof ERROR_TABLE));
      expect(problem.status).toBe(entry.status);
      expect(problem.title).toBe(entry.title);
      expect(problem.code).toBe(code);
      expect(problem.type).toMatch(/^https:\/\/switchyard\.dev\/problems\/[a-z-]+$/);
    }
  });

  it('carries the failing fields of a validation error', () => {
    const problem = toProblem(
      new AppError('VALIDATION_FAILED', {
        message: 'The request body is invalid.',
        details: { errors: [{ path: 'body.email', message: 'Invalid email' }] },
      }),
      '/v1/things',
    );
    expect(problem).toMatchObject({
      status: 400,
      detail: 'The request body is invalid.',
      instance: '/v1/things',
      errors: [{ path: 'body.email', message: 'Invalid email' }],
    });
  });

  it('turns unknown errors into a 500 that leaks nothing', () => {
    const problem = toProblem(new Error('password=hunter2 at db.ts:42'));
    expect(problem.status).toBe(500);
    expect(problem.code).toBe('INTERNAL');
    expect(JSON.stringify(problem)).not.toMatch(/hunter2|db\.ts/);
  });

  it('never leaks the message of an INTERNAL AppError', () => {
    const problem = toProblem(new AppError('INTERNAL', { message: 'pool exhausted on host x' }));
    expect(problem.detail).toBe('An unexpected error occurred.');
  });
});
