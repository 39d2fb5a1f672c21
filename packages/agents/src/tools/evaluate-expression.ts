/** Longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 1000;
/** Deepest nesting of parentheses and unary signs accepted. */
const MAX_DEPTH = 100;

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Token =
  { type: 'number'; value: number; at: number } | { type: 'op'; value: string; at: number };

const ALIASES: Record<string, string> = { '×': '*', '÷': '/', '−': '-', '**': '^' };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index] ?? '';
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(source.slice(index));
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]), at: index });
      index += number[0].length;
      continue;
    }
    const twoChars = source.slice(index, index + 2);
    if (twoChars === '**') {
      tokens.push({ type: 'op', value: '^', at: index });
      index += 2;
      continue;
    }
    const op = ALIASES[char] ?? char;
    if ('+-*/^()'.includes(op)) {
      tokens.push({ type: 'op', value: op, at: index });
      index += 1;
      continue;
    }
    throw new ExpressionError(`Unexpected character "${char}" at position ${index + 1}`);
  }
  return tokens;
}

/**
 * Evaluates an arithmetic expression: numbers (decimals, exponents), `+ - * / ^`, parentheses
 * and unary signs, with the usual precedence (`^` binds tightest and to the right, so
 * `-2^2 = -4` and `2^3^2 = 512`). A recursive-descent parser: nothing is ever evaluated as code.
 */
export function evaluateExpression(source: string): number {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`Expression longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }
  const tokens = tokenize(source);
  let position = 0;
  let depth = 0;

  const peek = (): Token | undefined => tokens[position];
  const isOp = (value: string) => {
    const token = peek();
    return token?.type === 'op' && token.value === value;
  };
  const enter = () => {
    depth += 1;
    if (depth > MAX_DEPTH) throw new ExpressionError('Expression is nested too deeply');
  };

  function expression(): number {
    let value = term();
    while (isOp('+') || isOp('-')) {
      const op = peek()?.value;
      position += 1;
      const right = term();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  }

  function term(): number {
    let value = unary();
    while (isOp('*') || isOp('/')) {
      const op = peek()?.value;
      position += 1;
      const right = unary();
      if (op === '/' && right === 0) throw new ExpressionError('Division by zero');
      value = op === '*' ? value * right : value / right;
    }
    return value;
  }

  function unary(): number {
    if (isOp('-') || isOp('+')) {
      const negate = isOp('-');
      position += 1;
      enter();
      const value = unary();
      depth -= 1;
      return negate ? -value : value;
    }
    return power();
  }

  function power(): number {
    const base = primary();
    if (isOp('^')) {
      position += 1;
      enter();
      const exponent = unary();
      depth -= 1;
      return base ** exponent;
    }
    return base;
  }

  function primary(): number {
    const token = peek();
    if (!token) throw new ExpressionError('Unexpected end of expression');
    if (token.type === 'number') {
      position += 1;
      return token.value;
    }
    if (token.value === '(') {
      position += 1;
      enter();
      const value = expression();
      depth -= 1;
      if (!isOp(')')) throw new ExpressionError(`Missing ")" at position ${token.at + 1}`);
      position += 1;
      return value;
    }
    throw new ExpressionError(`Unexpected "${token.value}" at position ${token.at + 1}`);
  }

  if (tokens.length === 0) throw new ExpressionError('Empty expression');
  const result = expression();
  const extra = peek();
  if (extra) {
    throw new ExpressionError(`Unexpected "${String(extra.value)}" at position ${extra.at + 1}`);
  }
  if (!Number.isFinite(result)) throw new ExpressionError('The result is not a finite number');
  // Drop binary floating-point noise: 0.1 + 0.2 gives 0.3, not 0.30000000000000004.
  return Number.parseFloat(result.toPrecision(15));
}
