import type { Readable } from 'node:stream';

/** Options for {@link StorageDriver.put}. */
export type PutObjectOptions = {
  /** MIME type stored with the object and returned by `get`. */
  contentType: string;
  /** Refuse (with `PAYLOAD_TOO_LARGE`) a body longer than this many bytes. */
  maxBytes?: number;
};

export type StoredObject = {
  body: Readable;
  contentType: string;
  size: number;
};

export type ObjectSummary = {
  key: string;
  size: number;
  updatedAt: Date;
};

/** Options for {@link StorageDriver.list}. */
export type ListObjectsOptions = {
  /** Page size, 1 to 1000; 100 when omitted. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
};

export type ObjectPage = {
  /** Objects whose key starts with the prefix, in ascending key order. */
  items: ObjectSummary[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
};

/**
 * Object storage behind one small interface (local disk now, S3 later). Keys are
 * org-scoped (`orgs/<orgId>/...`, see `orgObjectKey`) and validated by every driver.
 */
export type StorageDriver = {
  /** Writes the whole object atomically: readers see the old object or the new one. */
  put(key: string, body: Buffer | Readable, options: PutObjectOptions): Promise<{ size: number }>;
  /** The object, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** Removes the object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Objects whose key starts with `prefix` (itself `orgs/<orgId>/...`), paged by key. */
  list(prefix: string, options?: ListObjectsOptions): Promise<ObjectPage>;
};
