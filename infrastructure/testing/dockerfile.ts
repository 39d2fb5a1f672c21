/** One Dockerfile instruction, continuation lines joined. */
export type Instruction = {
  /** Upper-cased: `FROM`, `RUN`, `COPY`... */
  keyword: string;
  /** Everything after the keyword, trimmed. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
};

export type Stage = {
  /** The `AS` name, if any. */
  name: string | undefined;
  /** The base image with global build arguments substituted. */
  from: string;
  /** The instructions after `FROM`, up to the next `FROM`. */
  instructions: Instruction[];
};

export type Dockerfile = {
  /** `ARG`s declared before the first `FROM`, with their defaults. */
  globalArgs: Map<string, string>;
  stages: Stage[];
};

/**
 * Parses a Dockerfile as the builder reads it: comment lines dropped (also inside a continued
 * instruction), lines ending in `\` joined with the next. Enough to check structure; the
 * builder itself is the authority on everything else.
 */
export function parseDockerfile(text: string): Dockerfile {
  const instructions = readInstructions(text);
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];

  for (const instruction of instructions) {
    const current = stages.at(-1);
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const [image = '', as, name] = words;
      stages.push({
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        from: substitute(image, globalArgs),
        instructions: [],
      });
    } else if (current) {
      current.instructions.push(instruction);
    } else if (instruction.keyword === 'ARG') {
      const [name = '', value = ''] = instruction.args.split('=', 2);
      globalArgs.set(name.trim(), value.trim().replace(/^"(.*)"$/, '$1'));
    }
  }
  return { globalArgs, stages };
}

/** The last stage: what `docker build` produces without `--target`. */
export function finalStage(dockerfile: Dockerfile): Stage {
  const stage = dockerfile.stages.at(-1);
  if (!stage) throw new Error('the Dockerfile has no FROM');
  return stage;
}

/** The stage's instructions with this keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/**
 * The sources of a `COPY`/`ADD` (every word but the last, flags dropped), and its `--from`
 * stage if any. JSON-array form is supported.
 */
export function copySources(instruction: Instruction): {
  from: string | undefined;
  sources: string[];
} {
  const words = instruction.args.startsWith('[')
    ? (JSON.parse(instruction.args) as string[])
    : instruction.args.split(/\s+/);
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((word) => !word.startsWith('--'));
  return { from, sources: paths.slice(0, -1) };
}

function readInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    // Blank lines and comments never end an instruction, even in the middle of a continued one.
    if (trimmed.startsWith('#') || trimmed === '') return;
    const continues = trimmed.endsWith('\\');
    const part = continues ? trimmed.slice(0, -1) : trimmed;
    pending = pending
      ? { ...pending, text: `${pending.text} ${part}` }
      : { text: part, line: index + 1 };
    if (continues) return;
    const match = /^(\S+)\s*(.*)$/s.exec(pending.text.trim());
    if (match) {
      instructions.push({
        keyword: (match[1] ?? '').toUpperCase(),
        args: (match[2] ?? '').trim(),
        line: pending.line,
      });
    }
    pending = undefined;
  });
  return instructions;
}

function substitute(value: string, args: Map<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    return args.get(name) ?? whole;
  });
}
