import { exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import {
  insertSigningKey,
  listUnexpiredSigningKeys,
  type Database,
  type DatabaseExecutor,
  type SigningKey,
} from '@switchyard/database';
import { getNow, type AuthConfig, type AuthDeps } from '../config';
import { decryptSecret, encryptSecret, generateSecretToken } from '../crypto';

export const SIGNING_ALGORITHM = 'ES256';
/**
 * Unknown kids may trigger this many reloads per window: enough to pick up a rotation made on
 * another instance at once, too few for forged kids to flood the database.
 */
const UNKNOWN_KID_RELOADS = 5;
const UNKNOWN_KID_WINDOW_MS = 10_000;
/** Keys are re-read at least this often, so a rotation on another instance is picked up. */
const MAX_STALENESS_MS = 60_000;

type LoadedKey = {
  row: SigningKey;
  publicKey: CryptoKey;
  privateKey?: Promise<CryptoKey>;
};

type KeyStore = {
  keys: Map<string, LoadedKey>;
  loadedAtMs: number;
  loading?: Promise<void>;
  /** When unknown kids last caused reloads (performance.now()). */
  unknownKidReloadsMs: number[];
};

type KeyDeps = Pick<AuthDeps, 'db' | 'config' | 'log' | 'now'>;

// One store per database handle: each api instance has its own, like a separate process would.
const stores = new WeakMap<Database, KeyStore>();

function getStore(db: Database): KeyStore {
  let store = stores.get(db);
  if (!store) {
    store = { keys: new Map(), loadedAtMs: Number.NEGATIVE_INFINITY, unknownKidReloadsMs: [] };
    stores.set(db, store);
  }
  return store;
}

/** The window within which a rotation elsewhere must be noticed; below the access-token TTL. */
function stalenessMs(config: AuthConfig): number {
  return Math.min(MAX_STALENESS_MS, (config.accessTokenTtlSeconds * 1000) / 2);
}

/** Re-reads the keys that still verify; concurrent callers share one read. */
export function reloadSigningKeys(deps: KeyDeps): Promise<void> {
  const store = getStore(deps.db);
  store.loading ??= (async () => {
    try {
      const rows = await listUnexpiredSigningKeys(deps.db, { now: getNow(deps) });
      const keys = new Map<string, LoadedKey>();
      for (const row of rows) {
        const existing = store.keys.get(row.id);
        const publicKey =
          existing?.publicKey ?? (await importPublicKey(row.publicJwk, SIGNING_ALGORITHM));
        keys.set(row.id, { row, publicKey, privateKey: existing?.privateKey });
      }
      store.keys = keys;
      store.loadedAtMs = performance.now();
    } finally {
      store.loading = undefined;
    }
  })();
  return store.loading;
}

async function importPublicKey(jwk: Record<string, unknown>, alg: string): Promise<CryptoKey> {
  const key = await importJWK(jwk, alg);
  if (key instanceof Uint8Array) throw new Error('a signing key row holds a symmetric key');
  return key;
}

/** Loads the keys when never loaded; refreshes them in the background when stale. */
async function getFreshStore(deps: KeyDeps): Promise<KeyStore> {
  const store = getStore(deps.db);
  if (store.loadedAtMs === Number.NEGATIVE_INFINITY) {
    await reloadSigningKeys(deps);
  } else if (performance.now() - store.loadedAtMs > stalenessMs(deps.config) && !store.loading) {
    reloadSigningKeys(deps).catch((error: unknown) => {
      deps.log.warn({ err: error }, 'reloading signing keys failed; keeping the loaded ones');
    });
  }
  return store;
}

export function isSigningKeyActive(row: SigningKey, now: Date): boolean {
  return (
    (row.retiresAt === null || row.retiresAt > now) &&
    (row.expiresAt === null || row.expiresAt > now)
  );
}

function isSigningKeyUnexpired(row: SigningKey, now: Date): boolean {
  return row.expiresAt === null || row.expiresAt > now;
}

/** The newest key that signs at `now`, or null when there is none. */
export async function getSigningKey(
  deps: KeyDeps,
): Promise<{ kid: string; privateKey: CryptoKey } | null> {
  const store = await getFreshStore(deps);
  const now = getNow(deps);
  let newest: LoadedKey | undefined;
  for (const key of store.keys.values()) {
    if (!isSigningKeyActive(key.row, now)) continue;
    if (!newest || key.row.createdAt > newest.row.createdAt) newest = key;
  }
  if (!newest) return null;
  const loaded = newest;
  loaded.privateKey ??= importPrivateKey(loaded.row, deps.config.authSecret);
  return { kid: loaded.row.id, privateKey: await loaded.privateKey };
}

async function importPrivateKey(row: SigningKey, authSecret: string): Promise<CryptoKey> {
  const jwk: unknown = JSON.parse(decryptSecret(row.privateJwkEncrypted, authSecret));
  if (typeof jwk !== 'object' || jwk === null) throw new Error('a private JWK is not an object');
  const key = await importJWK(jwk, row.algorithm);
  if (key instanceof Uint8Array) throw new Error('a signing key row holds a symmetric key');
  return key;
}

/**
 * The public key for `kid` while it still verifies at `now`; null for unknown or expired kids.
 * An unknown kid reloads the keys (rate-limited), since another instance may just have rotated.
 */
export async function getVerificationKey(kid: string, deps: KeyDeps): Promise<CryptoKey | null> {
  const store = await getFreshStore(deps);
  let key = store.keys.get(kid);
  if (!key && mayReloadForUnknownKid(store)) {
    await reloadSigningKeys(deps);
    key = store.keys.get(kid);
  }
  if (!key || !isSigningKeyUnexpired(key.row, getNow(deps))) return null;
  return key.publicKey;
}

function mayReloadForUnknownKid(store: KeyStore): boolean {
  const nowMs = performance.now();
  store.unknownKidReloadsMs = store.unknownKidReloadsMs.filter(
    (at) => nowMs - at < UNKNOWN_KID_WINDOW_MS,
  );
  if (store.unknownKidReloadsMs.length >= UNKNOWN_KID_RELOADS) return false;
  store.unknownKidReloadsMs.push(nowMs);
  return true;
}

/** Public JWKs of every key that still verifies at `now`. */
export async function listPublicJwks(deps: KeyDeps): Promise<Record<string, unknown>[]> {
  const store = await getFreshStore(deps);
  const now = getNow(deps);
  return [...store.keys.values()]
    .filter((key) => isSigningKeyUnexpired(key.row, now))
    .sort((a, b) => b.row.createdAt.getTime() - a.row.createdAt.getTime())
    .map((key) => ({ ...key.row.publicJwk, kid: key.row.id, alg: key.row.algorithm, use: 'sig' }));
}

/** Generates an ES256 key pair and stores it; the private JWK is encrypted with AUTH_SECRET. */
export async function createSigningKeyRow(
  db: DatabaseExecutor,
  config: AuthConfig,
  now: Date,
): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, {
    extractable: true,
  });
  const kid = generateSecretToken(16);
  const { kty, crv, x, y } = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  return insertSigningKey(db, {
    id: kid,
    algorithm: SIGNING_ALGORITHM,
    publicJwk: { kty, crv, x, y, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    privateJwkEncrypted: encryptSecret(JSON.stringify(privateJwk), config.authSecret),
    createdAt: now,
  });
}
