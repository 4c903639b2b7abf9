// A part of the portal that loads on demand (a chunk). Which parts there are, and the
// `import()` of each, is in lazy-parts.ts, which only the root element and its views import:
// the parts themselves (and section-states.ts, which says a failed load in words) need only this class.

/** A part of the portal (a chunk) could not be loaded, e.g. the connection dropped. */
export class PartLoadError extends Error {
  override readonly name = 'PartLoadError';

  constructor(
    readonly part: string,
    options?: {cause?: unknown},
  ) {
    super(`The portal's ${part} could not be loaded.`, options);
  }
}

/**
 * Loads a part once for every portal on the page; a failed load is forgotten, so that
 * „Erneut versuchen" tries again.
 */
export class LazyPart {
  private loading?: Promise<void>;
  private done = false;

  constructor(
    readonly name: string,
    /** Imports the part; replaceable in tests. */
    public importPart: () => Promise<unknown>,
  ) {}

  /** Whether the part is there (its elements are defined). */
  get loaded(): boolean {
    return this.done;
  }

  load(): Promise<void> {
    this.loading ??= this.importPart().then(
      () => {
        this.done = true;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw new PartLoadError(this.name, {cause: error});
      },
    );
    return this.loading;
  }
}
