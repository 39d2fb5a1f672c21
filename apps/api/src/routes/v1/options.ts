import type { Database } from '@switchyard/database';
import type { Logger, Redis } from '@switchyard/shared';
import type { ApiConfig } from '../../env';

/** What every `/v1` route plugin receives from `buildApp`. */
export type V1RouteOptions = {
  db: Database;
  redis: Redis;
  log: Logger;
  config: ApiConfig;
};
