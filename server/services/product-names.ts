import type Stripe from 'stripe';
import type {Store} from '../store/store.js';

/** Where a product's name lives in the store's cache: one entry for all customers. */
const PREFIX = 'product-name:';
/**
 * How long a name is kept at least. A product renamed in the Stripe Dashboard shows within this
 * time (no webhook tells of it). Longer than the customer cache: the catalog changes far less
 * often than a customer, and a cold overview whose name is missing waits one round more for it.
 */
const MIN_SECONDS = 3600;

/**
 * The names of Stripe products: what the overview shows as its Gate Pass. Stripe refuses to
 * expand `data.items.data.price.product` on the subscription list, five levels where four are
 * allowed (https://docs.stripe.com/expand), so a product is retrieved on its own, and its name
 * kept store-wide (every customer shares the few products CONROO sells). Concurrent loads of one
 * product in this process share one request.
 */
export class ProductNames {
  readonly #inFlight = new Map<string, Promise<string | null>>();

  constructor(
    private readonly stripe: Stripe,
    private readonly store: Store,
    /** The customer cache's TTL; 0 turns this cache off too. */
    private readonly cacheTtlSeconds: number,
  ) {}

  /** The product's name; `null` when it no longer exists. */
  async of(productId: string): Promise<string | null> {
    if (this.cacheTtlSeconds > 0) {
      const hit = await this.store.cacheGet(PREFIX + productId);
      if (hit !== undefined) return JSON.parse(hit) as string | null;
    }
    const running = this.#inFlight.get(productId);
    if (running) return running;
    const started = this.#load(productId).finally(() => this.#inFlight.delete(productId));
    this.#inFlight.set(productId, started);
    return started;
  }

  async #load(productId: string): Promise<string | null> {
    const product = await this.stripe.products.retrieve(productId).catch((error: unknown) => {
      if ((error as {statusCode?: number}).statusCode === 404) return null;
      throw error;
    });
    const name = product && !('deleted' in product && product.deleted) ? product.name : null;
    if (this.cacheTtlSeconds > 0) {
      const ttl = Math.max(this.cacheTtlSeconds, MIN_SECONDS);
      await this.store.cacheSet(PREFIX + productId, JSON.stringify(name), ttl);
    }
    return name;
  }
}
