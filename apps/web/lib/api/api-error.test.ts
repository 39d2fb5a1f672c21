import { describe, expect, it } from 'vitest';
import { ApiError, splitFieldErrors, toApiError, toFormField } from './api-error';

describe('toApiError', () => {
  it('takes the message, code and reason from a problem body', () => {
    const error = toApiError(403, {
      title: 'Forbidden',
      status: 403,
      detail: 'This organisation requires two-factor authentication.',
      code: 'FORBIDDEN',
      reason: 'two_factor_required',
    });
    expect(error).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      reason: 'two_factor_required',
      message: 'This organisation requires two-factor authentication.',
    });
  });

  it('falls back to a sentence for the status when the body is not a problem', () => {
    expect(toApiError(429, null).message).toContain('Too many attempts');
    expect(toApiError(418, 'teapot').message).toBe('Request failed (418).');
  });
});

describe('toFormField', () => {
  const fields = ['email', 'newPassword'] as const;

  it('drops the location prefix of a problem path', () => {
    expect(toFormField('body.newPassword', fields)).toBe('newPassword');
    expect(toFormField('email', fields)).toBe('email');
  });

  it('returns null for a path the form does not have', () => {
    expect(toFormField('body.role', fields)).toBeNull();
    expect(toFormField('query.email', ['name'])).toBeNull();
  });

  it('maps nested paths through fieldsByPath, the longest matching key first', () => {
    const formFields = ['target', 'maxTokens', 'memberIds'] as const;
    const byPath = { target: 'target', 'budget.maxTokens': 'maxTokens', members: 'memberIds' };
    expect(toFormField('body.target.agentId', formFields, byPath)).toBe('target');
    expect(toFormField('body.budget.maxTokens', formFields, byPath)).toBe('maxTokens');
    expect(toFormField('members.2.agentId', formFields, byPath)).toBe('memberIds');
    expect(toFormField('body.budget', formFields, byPath)).toBeNull();
    // A key must match whole path segments.
    expect(toFormField('body.targets', formFields, byPath)).toBeNull();
  });
});

describe('splitFieldErrors', () => {
  it('places each known field error and leaves no form message when all were placed', () => {
    const error = toApiError(400, {
      code: 'VALIDATION_FAILED',
      detail: 'The request is not valid.',
      errors: [
        { path: 'body.password', message: 'is one of the most common passwords' },
        { path: 'body.email', message: 'must be an e-mail address' },
      ],
    });
    expect(splitFieldErrors(error, ['email', 'password', 'name'])).toEqual({
      fields: {
        password: 'Is one of the most common passwords',
        email: 'Must be an e-mail address',
      },
      formMessage: null,
    });
  });

  it('keeps errors for unknown fields in the form message', () => {
    const error = toApiError(400, {
      code: 'VALIDATION_FAILED',
      detail: 'The request is not valid.',
      errors: [{ path: 'body.mode', message: 'is invalid' }],
    });
    expect(splitFieldErrors(error, ['email']).formMessage).toBe(
      'The request is not valid. (body.mode: is invalid)',
    );
  });

  it('uses the problem detail as the form message when there are no field errors', () => {
    const error = new ApiError({
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'Wrong password.',
    });
    expect(splitFieldErrors(error, ['password'])).toEqual({
      fields: {},
      formMessage: 'Wrong password.',
    });
  });

  it('places nested paths named in fieldsByPath under their field', () => {
    const error = toApiError(422, {
      code: 'UNPROCESSABLE',
      detail: 'The team is not valid.',
      errors: [{ path: 'members.1.agentId', message: 'no such agent' }],
    });
    expect(splitFieldErrors(error, ['memberIds'], { members: 'memberIds' })).toEqual({
      fields: { memberIds: 'No such agent' },
      formMessage: null,
    });
  });

  it('gives a generic message for errors that are not api errors', () => {
    expect(splitFieldErrors(new Error('boom'), []).formMessage).toBe(
      'Something went wrong. Try again.',
    );
  });
});
