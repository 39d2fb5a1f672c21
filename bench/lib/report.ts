import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadOptions, Row } from './measure';

/** The load settings in words, for table titles. */
export function describeLoad(load: LoadOptions): string {
  return (
    `${load.connections} connections, ${load.rounds} alternating rounds of ${load.roundSeconds}s ` +
    `per server after ${load.warmupSeconds}s warm-up (p50/p99: median of the rounds)`
  );
}

/** Prints the rows as an aligned table (this is a command-line tool: stdout is its output). */
export function printRows(title: string, rows: Array<Row & { label: string }>): void {
  const header = ['server', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'errors'];
  const body = rows.map((row) => [
    row.label,
    String(row.requestsPerSecond),
    String(row.latencyP50Ms),
    String(row.latencyP99Ms),
    String(row.cpuMicrosPerRequest),
    String(row.errors + row.non2xx),
  ]);
  const widths = header.map((name, i) =>
    Math.max(name.length, ...body.map((cells) => cells[i]?.length ?? 0)),
  );
  const format = (cells: string[]) =>
    cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${title}`);
  console.log(format(header));
  console.log(format(widths.map((width) => '-'.repeat(width))));
  for (const cells of body) console.log(format(cells));
}

/** Rounds to two decimals, for ratios in the JSON report. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Writes `fields` with the machine and load settings to `file` (pretty JSON). */
export function writeReport(
  file: string,
  load: LoadOptions,
  fields: Record<string, unknown>,
): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    connections: load.connections,
    warmupSeconds: load.warmupSeconds,
    rounds: load.rounds,
    roundSeconds: load.roundSeconds,
    ...fields,
    loadAverage: os.loadavg().map(round2),
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
