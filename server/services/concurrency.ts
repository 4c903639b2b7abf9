/**
 * The two shapes of bounded work the fleet operations need: a pool of slots that requests to
 * Stripe take (first come, first served), and a stream of results that is fetched a few items
 * ahead of its consumer but handed on in order.
 */

/** At most `size` holders at a time; waiters get a slot in the order they asked. */
export class Slots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  /** Resolves once a slot is this caller's; the function it answers gives it back (once). */
  async take(): Promise<() => void> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      // Handed straight to the next waiter: a caller that asks meanwhile cannot jump the queue.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    };
  }

  /** `work` while holding a slot. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.take();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/**
 * `start(item)` for the items in their order, up to `ahead` of them started and not yet
 * finished with by the consumer (the one it holds counts), and their results handed on in the
 * items' order. The first failure, in that order, ends the stream with that error. When the
 * stream ends early (a failure, or the consumer stops), every result started and not handed on
 * goes to `discard`, so that what it holds (a connection) is given back.
 */
export async function* inOrderAhead<I, T>(
  items: AsyncIterable<I> | Iterable<I>,
  ahead: number,
  start: (item: I) => Promise<T>,
  discard: (result: T) => void = () => {},
): AsyncGenerator<T> {
  const iterator =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  const started: Array<Promise<T>> = [];
  let inHand = 0;
  let stopped = false;
  let sourceDone = false;
  let sourceFailure: {error: unknown} | null = null;
  let wake: (() => void) | null = null;
  let wakeFiller: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };

  // Starts items while there is room, independently of the consumer, which may be sending a
  // result on meanwhile.
  const filling = (async () => {
    try {
      for (;;) {
        while (!stopped && started.length + inHand >= ahead) {
          await new Promise<void>((resolve) => (wakeFiller = resolve));
        }
        if (stopped) return;
        const next = await iterator.next();
        if (next.done) return;
        if (stopped) return;
        const result = start(next.value);
        // Its failure is the consumer's to meet, in its turn; none may go unhandled meanwhile.
        result.catch(() => {});
        started.push(result);
        signal();
      }
    } catch (error) {
      sourceFailure = {error};
    } finally {
      sourceDone = true;
      signal();
    }
  })();

  try {
    for (;;) {
      while (started.length === 0) {
        if (sourceDone) {
          if (sourceFailure) throw (sourceFailure as {error: unknown}).error;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
      inHand = 1;
      const value = await started.shift()!;
      yield value;
      inHand = 0;
      (wakeFiller as (() => void) | null)?.();
      wakeFiller = null;
    }
  } finally {
    stopped = true;
    (wakeFiller as (() => void) | null)?.();
    for (const result of started.splice(0)) result.then(discard, () => {});
    // The source is closed once the filler has left it (it may be in the middle of `next`).
    void filling.then(() => iterator.return?.()).catch(() => {});
  }
}
