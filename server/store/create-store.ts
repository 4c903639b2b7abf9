import type {Config} from '../config.js';
import type {Logger} from '../logger.js';
import {MemoryStore} from './memory-store.js';
import {RedisStore} from './redis-store.js';
import type {Store} from './store.js';

/** Redis when `REDIS_URL` is set (several instances behave as one), else this process's memory. */
export function createStore(config: Config, log?: Logger): Store {
  return config.redis
    ? new RedisStore({
        url: config.redis.url,
        prefix: config.redis.prefix,
        timeoutMs: config.redis.timeoutMs,
        log,
      })
    : new MemoryStore({log});
}
