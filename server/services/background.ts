import {inBackground} from '../adapters/stripe-budget.js';

/**
 * Work that runs after the answer has gone out (the look-up and mail behind a login link, so
 * known and unknown addresses answer alike). Tracked so that shutdown and tests can wait for it.
 * Nobody could retry it when Stripe's request budget is spent, so it waits for budget rather
 * than being refused, behind the people waiting for an answer (`inBackground`).
 */
export class BackgroundTasks {
  readonly #running = new Set<Promise<unknown>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  run(task: () => Promise<unknown>): void {
    const promise = Promise.resolve()
      .then(() => inBackground(task))
      .catch(this.onError)
      .finally(() => this.#running.delete(promise));
    this.#running.add(promise);
  }

  /** Resolves once everything started so far (and what it started) has finished. */
  async drain(): Promise<void> {
    while (this.#running.size) await Promise.allSettled([...this.#running]);
  }
}
