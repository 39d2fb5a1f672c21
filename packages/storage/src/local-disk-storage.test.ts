import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalDiskStorage } from './local-disk-storage';
import type { StorageDriver } from './storage-driver';

let root: string;
let storage: StorageDriver;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'switchyard-storage-'));
  storage = createLocalDiskStorage({ root });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function readBack(key: string): Promise<string | null> {
  const object = await storage.get(key);
  return object ? text(object.body) : null;
}

describe('createLocalDiskStorage', () => {
  it('stores a buffer and returns it with its content type and size', async () => {
    const result = await storage.put('orgs/o1/notes/hello.txt', Buffer.from('héllo'), {
      contentType: 'text/plain; charset=utf-8',
    });
    expect(result.size).toBe(6);
    const object = await storage.get('orgs/o1/notes/hello.txt');
    expect(object?.contentType).toBe('text/plain; charset=utf-8');
    expect(object?.size).toBe(6);
    expect(object ? await text(object.body) : null).toBe('héllo');
  });

  it('stores a stream', async () => {
    const body = Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n')]);
    const { size } = await storage.put('orgs/o1/data.csv', body, { contentType: 'text/csv' });
    expect(size).toBe(8);
    expect(await readBack('orgs/o1/data.csv')).toBe('a,b\n1,2\n');
  });

  it('returns null for a missing object', async () => {
    expect(await storage.get('orgs/o1/missing.txt')).toBeNull();
  });

  it('replaces an object and leaves no temporary files behind', async () => {
    await storage.put('orgs/o1/a.txt', Buffer.from('first'), { contentType: 'text/plain' });
    await storage.put('orgs/o1/a.txt', Buffer.from('second'), { contentType: 'text/markdown' });
    const object = await storage.get('orgs/o1/a.txt');
    expect(object?.contentType).toBe('text/markdown');
    expect(object ? await text(object.body) : null).toBe('second');
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('keeps the previous version when a streamed write fails midway', async () => {
    await storage.put('orgs/o1/a.txt', Buffer.from('intact'), { contentType: 'text/plain' });
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(
      storage.put('orgs/o1/a.txt', failing, { contentType: 'text/plain' }),
    ).rejects.toThrow('client went away');
    expect(await readBack('orgs/o1/a.txt')).toBe('intact');
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('refuses a body over maxBytes and keeps nothing of it', async () => {
    await expect(
      storage.put('orgs/o1/big.bin', Buffer.alloc(11), {
        contentType: 'application/octet-stream',
        maxBytes: 10,
      }),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await storage.get('orgs/o1/big.bin')).toBeNull();
  });

  it('refuses unsafe keys before touching the disk', async () => {
    for (const key of ['orgs/o1/../../escape.txt', '/etc/passwd', 'orgs/o1/a\\b', 'orgs/o1/\0']) {
      await expect(
        storage.put(key, Buffer.from('x'), { contentType: 'text/plain' }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(storage.get(key)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(storage.delete(key)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect(await readdir(root)).toEqual([]);
  });

  it('answers CONFLICT when a key would need a file to be a folder', async () => {
    await storage.put('orgs/o1/a', Buffer.from('file'), { contentType: 'text/plain' });
    await expect(
      storage.put('orgs/o1/a/b', Buffer.from('x'), { contentType: 'text/plain' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('deletes an object, and deleting a missing one succeeds', async () => {
    await storage.put('orgs/o1/deep/folder/a.txt', Buffer.from('x'), { contentType: 'text/plain' });
    await storage.delete('orgs/o1/deep/folder/a.txt');
    await storage.delete('orgs/o1/deep/folder/a.txt');
    expect(await storage.get('orgs/o1/deep/folder/a.txt')).toBeNull();
    expect(await readdir(path.join(root, 'orgs', 'o1'))).toEqual([]);
  });

  it('lists objects under a prefix in key order, page by page', async () => {
    for (const name of ['c.txt', 'a.txt', 'sub/b.txt', 'sub/a.txt', 'b.txt']) {
      await storage.put(`orgs/o1/${name}`, Buffer.from(name), { contentType: 'text/plain' });
    }
    await storage.put('orgs/o2/a.txt', Buffer.from('other org'), { contentType: 'text/plain' });

    const first = await storage.list('orgs/o1/', { limit: 2 });
    expect(first.items.map((item) => item.key)).toEqual(['orgs/o1/a.txt', 'orgs/o1/b.txt']);
    expect(first.items[0]?.size).toBe(5);
    expect(first.nextCursor).not.toBeNull();

    const second = await storage.list('orgs/o1/', { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((item) => item.key)).toEqual(['orgs/o1/c.txt', 'orgs/o1/sub/a.txt']);
    const third = await storage.list('orgs/o1/', { limit: 2, cursor: second.nextCursor });
    expect(third.items.map((item) => item.key)).toEqual(['orgs/o1/sub/b.txt']);
    expect(third.nextCursor).toBeNull();
  });

  it('matches partial names and returns nothing for an empty prefix', async () => {
    await storage.put('orgs/o1/report-1.md', Buffer.from('1'), { contentType: 'text/markdown' });
    await storage.put('orgs/o1/report-2.md', Buffer.from('2'), { contentType: 'text/markdown' });
    await storage.put('orgs/o1/readme.md', Buffer.from('3'), { contentType: 'text/markdown' });
    const page = await storage.list('orgs/o1/report');
    expect(page.items.map((item) => item.key)).toEqual([
      'orgs/o1/report-1.md',
      'orgs/o1/report-2.md',
    ]);
    expect((await storage.list('orgs/nobody/')).items).toEqual([]);
  });

  it('refuses a cursor taken from another prefix', async () => {
    await storage.put('orgs/o1/a.txt', Buffer.from('1'), { contentType: 'text/plain' });
    await storage.put('orgs/o1/b.txt', Buffer.from('2'), { contentType: 'text/plain' });
    const page = await storage.list('orgs/o1/', { limit: 1 });
    await expect(storage.list('orgs/o2/', { cursor: page.nextCursor })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
