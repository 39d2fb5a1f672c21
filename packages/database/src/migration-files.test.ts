import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findMigrationsDir, listMigrationFiles, resolveMigrationsDir } from './migration-files';

const root = mkdtempSync(join(tmpdir(), 'sy-migrations-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function makeMigrationsDir(dir: string, files: Record<string, string> = {}): string {
  mkdirSync(join(dir, 'meta'), { recursive: true });
  writeFileSync(join(dir, 'meta', '_journal.json'), '{"entries":[]}');
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('resolveMigrationsDir', () => {
  it('finds packages/database/migrations when running from source', () => {
    expect(resolveMigrationsDir()).toBe(fileURLToPath(new URL('../migrations', import.meta.url)));
  });

  it('honours an explicit migrationsDir', () => {
    const dir = makeMigrationsDir(join(root, 'explicit'));
    expect(resolveMigrationsDir({ migrationsDir: dir })).toBe(dir);
  });

  it('rejects an explicit migrationsDir that does not exist', () => {
    expect(() => resolveMigrationsDir({ migrationsDir: join(root, 'missing') })).toThrow(
      /does not exist/,
    );
  });
});

describe('findMigrationsDir', () => {
  it('walks up from an app bundle in apps/<app>/dist to packages/database/migrations', () => {
    const repo = join(root, 'repo');
    const expected = makeMigrationsDir(join(repo, 'packages', 'database', 'migrations'));
    mkdirSync(join(repo, 'apps', 'api', 'dist'), { recursive: true });
    expect(findMigrationsDir([join(repo, 'apps', 'api', 'dist')])).toBe(expected);
  });

  it('prefers a migrations folder copied next to the bundle', () => {
    const image = join(root, 'image');
    makeMigrationsDir(join(image, 'packages', 'database', 'migrations'));
    const copied = makeMigrationsDir(join(image, 'app', 'dist', 'migrations'));
    expect(findMigrationsDir([join(image, 'app', 'dist')])).toBe(copied);
  });

  it('falls back to the next start and fails with a hint when none has migrations', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(() => findMigrationsDir([empty])).toThrow(/pass migrationsDir/);
  });
});

describe('listMigrationFiles', () => {
  it('lists only NNNN_*.sql files in order, hashing CRLF and LF files alike', async () => {
    const crlf = makeMigrationsDir(join(root, 'crlf'), {
      '0001_b.sql': 'select 2;\r\n',
      '0000_a.sql': 'select 1;\r\n',
      'notes.md': 'not a migration',
    });
    const lf = makeMigrationsDir(join(root, 'lf'), { '0000_a.sql': 'select 1;\n' });

    const files = await listMigrationFiles(crlf);
    const [lfFile] = await listMigrationFiles(lf);

    expect(files.map((file) => file.name)).toEqual(['0000_a.sql', '0001_b.sql']);
    expect(files[0]?.hash).toBe(lfFile?.hash);
  });
});
