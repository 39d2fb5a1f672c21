import { describe, expect, it } from 'vitest';
import { evaluateExpression, MAX_EXPRESSION_LENGTH } from './evaluate-expression';

describe('evaluateExpression', () => {
  it.each([
    ['2+2', 4],
    ['2 + 3 * 4', 14],
    ['(2 + 3) * 4', 20],
    ['10 / 4', 2.5],
    ['10 - 4 - 3', 3],
    ['64 / 4 / 2', 8],
    ['2 ^ 10', 1024],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['-(3 - 5)', 2],
    ['--3', 3],
    ['+4 - -4', 8],
    ['1.5 * 4', 6],
    ['.5 + .25', 0.75],
    ['0.1 + 0.2', 0.3],
    ['1e3 + 1', 1001],
    ['3 × 4 ÷ 2', 6],
    ['2 ** 5', 32],
    ['((((1))))', 1],
  ])('evaluates %s to %d', (expression, expected) => {
    expect(evaluateExpression(expression)).toBe(expected);
  });

  it.each([
    ['', /Empty expression/],
    ['2 +', /Unexpected end/],
    ['(1 + 2', /Missing "\)"/],
    ['1 + 2)', /Unexpected "\)"/],
    ['2 2', /Unexpected "2"/],
    ['1 / 0', /Division by zero/],
    ['10 ^ 400', /not a finite number/],
    ['process.exit(1)', /Unexpected character "p"/],
    ['constructor', /Unexpected character/],
    ['1; 2', /Unexpected character ";"/],
    ['`1`', /Unexpected character/],
  ])('refuses %s', (expression, message) => {
    expect(() => evaluateExpression(expression)).toThrow(message);
  });

  it('refuses over-long and over-nested expressions instead of exhausting the stack', () => {
    expect(() => evaluateExpression('1+'.repeat(MAX_EXPRESSION_LENGTH) + '1')).toThrow(/longer/);
    expect(() => evaluateExpression(`${'('.repeat(200)}1${')'.repeat(200)}`)).toThrow(/nested/);
    expect(() => evaluateExpression(`${'-'.repeat(500)}1`)).toThrow(/nested/);
  });
});
