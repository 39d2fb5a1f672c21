import { describe, expect, it } from 'vitest';
import { copySources, finalStage, instructionsOf, parseDockerfile } from '../testing/dockerfile';

const SAMPLE = `# syntax=docker/dockerfile:1
ARG BASE=node:20-bookworm-slim
FROM \${BASE} AS build
RUN npm ci \\
 # a comment inside a continued instruction
 && npm run build

FROM --platform=linux/amd64 $BASE
COPY --from=build --chown=node:node /app/dist ./dist
copy ["a b.txt", "c.txt", "/dest/"]
USER node
`;

describe('parseDockerfile', () => {
  const dockerfile = parseDockerfile(SAMPLE);

  it('substitutes global build arguments into the stages it splits at FROM', () => {
    expect(dockerfile.globalArgs.get('BASE')).toBe('node:20-bookworm-slim');
    expect(dockerfile.stages.map((stage) => [stage.name, stage.from])).toEqual([
      ['build', 'node:20-bookworm-slim'],
      [undefined, 'node:20-bookworm-slim'],
    ]);
  });

  it('joins continued lines and drops comments inside them', () => {
    const [run] = instructionsOf(dockerfile.stages[0] ?? finalStage(dockerfile), 'RUN');
    expect(run).toEqual({ keyword: 'RUN', args: 'npm ci  && npm run build', line: 4 });
  });

  it('reads COPY sources and --from in both forms, whatever the keyword case', () => {
    const copies = instructionsOf(finalStage(dockerfile), 'COPY').map(copySources);
    expect(copies).toEqual([
      { from: 'build', sources: ['/app/dist'] },
      { from: undefined, sources: ['a b.txt', 'c.txt'] },
    ]);
  });
});
