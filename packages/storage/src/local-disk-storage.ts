import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import {
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@switchyard/shared';
import { assertValidObjectKey, assertValidObjectPrefix } from './object-key';
import type {
  ListObjectsOptions,
  ObjectPage,
  ObjectSummary,
  PutObjectOptions,
  StorageDriver,
  StoredObject,
} from './storage-driver';

/** Options for {@link createLocalDiskStorage}. */
export type LocalDiskStorageOptions = {
  /** Directory holding the objects (for example `DATA_DIR/files`); created when missing. */
  root: string;
};

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
// Objects live under `<root>/orgs/...` (every key starts with `orgs/`); metadata and
// in-flight writes live beside them, in folders no key can name.
const META_DIR = '.meta';
const TEMP_DIR = '.tmp';

type ObjectMeta = { contentType: string };

function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && 'code' in error && codes.includes(String(error.code));
}

function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, prefix: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key.startsWith(prefix)) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'Invalid cursor',
      details: { errors: [{ path: 'cursor', message: 'does not belong to this listing' }] },
    });
  }
  return key;
}

function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        callback(
          new AppError('PAYLOAD_TOO_LARGE', { message: `File is larger than ${maxBytes} bytes` }),
        );
        return;
      }
      callback(null, chunk);
    },
  });
}

/** A {@link StorageDriver} over a local directory, with atomic writes (temp file + rename). */
export function createLocalDiskStorage(options: LocalDiskStorageOptions): StorageDriver {
  const root = path.resolve(options.root);

  function pathOf(base: string, key: string, suffix = ''): string {
    const resolved = path.resolve(base, `${key}${suffix}`);
    // Defence in depth: key validation already makes escaping the root impossible.
    if (!resolved.startsWith(`${root}${path.sep}`)) {
      throw new AppError('VALIDATION_FAILED', { message: 'Invalid storage key' });
    }
    return resolved;
  }
  const dataPath = (key: string) => pathOf(root, key);
  const metaPath = (key: string) => pathOf(path.join(root, META_DIR), key, '.json');

  async function tempFile(): Promise<string> {
    const dir = path.join(root, TEMP_DIR);
    await mkdir(dir, { recursive: true });
    return path.join(dir, randomUUID());
  }

  async function moveInto(tempPath: string, target: string): Promise<void> {
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tempPath, target);
    } catch (error) {
      await rm(tempPath, { force: true });
      if (isErrno(error, 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY')) {
        throw new AppError('CONFLICT', {
          message: 'A file and a folder cannot share a name',
          cause: error,
        });
      }
      throw error;
    }
  }

  async function readMeta(key: string): Promise<ObjectMeta> {
    try {
      const parsed: unknown = JSON.parse(await readFile(metaPath(key), 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && 'contentType' in parsed) {
        return { contentType: String(parsed.contentType) };
      }
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
    return { contentType: DEFAULT_CONTENT_TYPE };
  }

  /** Removes now-empty folders between `file` and the org's folder. */
  async function pruneEmptyFolders(base: string, file: string): Promise<void> {
    const stop = path.join(base, 'orgs');
    let dir = path.dirname(file);
    while (dir.startsWith(`${stop}${path.sep}`) && path.dirname(dir) !== stop) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
      dir = path.dirname(dir);
    }
  }

  async function walk(dir: string, keyPrefix: string, out: ObjectSummary[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) return;
      throw error;
    }
    for (const entry of entries) {
      const key = `${keyPrefix}${entry.name}`;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full, `${key}/`, out);
      } else if (entry.isFile()) {
        const info = await stat(full).catch((error: unknown) => {
          if (isErrno(error, 'ENOENT')) return null;
          throw error;
        });
        if (info) out.push({ key, size: info.size, updatedAt: info.mtime });
      }
    }
  }

  return {
    async put(key: string, body: Buffer | Readable, putOptions: PutObjectOptions) {
      assertValidObjectKey(key);
      const target = dataPath(key);
      const temp = await tempFile();
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      const limit = byteLimit(putOptions.maxBytes ?? Number.POSITIVE_INFINITY);
      const sink = createWriteStream(temp, { flags: 'wx' });
      try {
        await pipeline(source, limit, sink);
      } catch (error) {
        // A body that fails at once can end the pipeline while the file is still being opened:
        // removed before then, the file would appear afterwards and stay.
        if (!sink.closed) await once(sink, 'close').catch(() => undefined);
        await rm(temp, { force: true });
        throw error;
      }
      const { size } = await stat(temp);
      const metaTemp = await tempFile();
      const meta: ObjectMeta = { contentType: putOptions.contentType };
      await writeFile(metaTemp, JSON.stringify(meta), { flag: 'wx' });
      await moveInto(metaTemp, metaPath(key));
      await moveInto(temp, target);
      return { size };
    },

    async get(key: string): Promise<StoredObject | null> {
      assertValidObjectKey(key);
      let handle;
      try {
        handle = await open(dataPath(key), 'r');
      } catch (error) {
        if (isErrno(error, 'ENOENT', 'ENOTDIR', 'EISDIR')) return null;
        throw error;
      }
      try {
        const info = await handle.stat();
        if (!info.isFile()) {
          await handle.close();
          return null;
        }
        const meta = await readMeta(key);
        // Reading from the opened handle keeps size and body consistent if a writer renames
        // a new version into place meanwhile.
        const body = createReadStream('', { fd: handle, autoClose: true });
        return { body, contentType: meta.contentType, size: info.size };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async delete(key: string) {
      assertValidObjectKey(key);
      const file = dataPath(key);
      const meta = metaPath(key);
      await rm(file, { force: true });
      await rm(meta, { force: true });
      await pruneEmptyFolders(root, file);
      await pruneEmptyFolders(path.join(root, META_DIR), meta);
    },

    async list(prefix: string, listOptions: ListObjectsOptions = {}): Promise<ObjectPage> {
      assertValidObjectPrefix(prefix);
      const limit = Math.min(Math.max(listOptions.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
      const after = listOptions.cursor ? decodeCursor(listOptions.cursor, prefix) : null;
      const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      const found: ObjectSummary[] = [];
      await walk(pathOf(root, folder.slice(0, -1)), folder, found);
      const matching = found
        .filter((item) => item.key.startsWith(prefix) && (after === null || item.key > after))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const items = matching.slice(0, limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor: matching.length > limit && last ? encodeCursor(last.key) : null,
      };
    },
  };
}
