import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog } from '../schema';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  deleteAuditEventsOlderThan,
  insertAuditEvent,
  listAuditEvents,
  type AuditEventCursor,
} from './audit-log';
import { createOrganization } from './organizations';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

function sqlText(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && 'text' in arg) return String(arg.text);
  return '';
}

let counter = 0;
async function newOrg() {
  counter += 1;
  return createOrganization(database.db, { name: `Org ${counter}`, slug: `org-${counter}` });
}

describe('audit log queries', () => {
  it('stores the event with its ip, metadata and defaults', async () => {
    const org = await newOrg();

    const event = await insertAuditEvent(database.db, {
      orgId: org.id,
      action: 'member.invited',
      ip: '2001:db8::1',
      metadata: { role: 'admin' },
    });

    expect(event).toMatchObject({
      orgId: org.id,
      actorUserId: null,
      action: 'member.invited',
      ip: '2001:db8::1',
      metadata: { role: 'admin' },
    });
    expect(event.createdAt).toBeInstanceOf(Date);
  });

  it("never lists another org's events or events without an org", async () => {
    const mine = await newOrg();
    const theirs = await newOrg();
    await insertAuditEvent(database.db, { orgId: mine.id, action: 'mine.one' });
    await insertAuditEvent(database.db, { orgId: theirs.id, action: 'theirs.one' });
    await insertAuditEvent(database.db, { orgId: null, action: 'auth.failed' });
    await insertAuditEvent(database.db, { orgId: mine.id, action: 'mine.two' });

    const listed = await listAuditEvents(database.db, { orgId: mine.id, limit: 50 });

    expect(listed.map((event) => event.action)).toEqual(['mine.two', 'mine.one']);
    expect(listed.every((event) => event.orgId === mine.id)).toBe(true);
  });

  it('pages through events sharing one timestamp without repeating or skipping any', async () => {
    const org = await newOrg();
    const inserted = await database.db.transaction(async (tx) => {
      const events = [];
      // One transaction: every row gets the same now().
      for (let i = 0; i < 7; i += 1) {
        events.push(await insertAuditEvent(tx, { orgId: org.id, action: `bulk.${i}` }));
      }
      return events;
    });
    expect(new Set(inserted.map((event) => event.createdAt.getTime())).size).toBe(1);

    const seen: string[] = [];
    let before: AuditEventCursor | undefined;
    for (;;) {
      const page = await listAuditEvents(database.db, { orgId: org.id, limit: 3, before });
      seen.push(...page.map((event) => event.id));
      const last = page.at(-1);
      if (page.length < 3 || !last) break;
      before = { createdAt: last.createdAt, id: last.id };
    }

    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(inserted.map((event) => event.id)));
  });

  it('retention deletes only events older than the cut-off, in batches', async () => {
    const org = await newOrg();
    const cutOff = new Date('2024-06-01T00:00:00.000Z');
    const old = await database.db
      .insert(auditLog)
      .values(
        Array.from({ length: 21 }, (_, i) => ({
          orgId: org.id,
          action: `old.${i}`,
          createdAt: new Date(cutOff.getTime() - (i + 1) * 60_000),
        })),
      )
      .returning({ id: auditLog.id });
    const boundary = await database.db
      .insert(auditLog)
      .values({ orgId: org.id, action: 'at.cutoff', createdAt: cutOff })
      .returning({ id: auditLog.id });
    const recent = await insertAuditEvent(database.db, { orgId: org.id, action: 'recent' });
    const query = vi.spyOn(database.pool, 'query');

    const deleted = await deleteAuditEventsOlderThan(database.db, {
      before: cutOff,
      batchSize: 7,
    });

    const deletes = query.mock.calls.filter((call) => /^delete /i.test(sqlText(call[0])));
    query.mockRestore();
    expect(deleted).toBe(21);
    // 7 + 7 + 7, then an empty batch that ends the loop.
    expect(deletes).toHaveLength(4);
    const left = await database.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(
        inArray(auditLog.id, [
          ...old.map((row) => row.id),
          ...boundary.map((row) => row.id),
          recent.id,
        ]),
      );
    expect(left.map((row) => row.id).sort()).toEqual(
      [...boundary.map((row) => row.id), recent.id].sort(),
    );
  });
});
