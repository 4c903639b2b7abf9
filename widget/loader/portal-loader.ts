// What the loader does, apart from which element it loads (loader.ts): no Lit, nothing of the
// element, so that a page pays a few hundred bytes for `<conroo-billing-portal>` until it is used.
//
// Until the element is loaded, its tag on the page is an unknown element. The loader gives each
// one `show()` and `hide()` at once, which remember the call and load the element; the element's
// own methods replace them when it is there, and the remembered calls are made on it in order.
// Listeners the page adds to the tag, its attributes and the properties the element declares
// (`open`, `lang` …, which Lit takes over when it upgrades the tag) need nothing of the loader.

/** The calls a page makes on the element, which work before it is loaded. */
const methods = ['show', 'hide'] as const;
type Method = (typeof methods)[number];

export interface PortalLoaderOptions {
  /** The element's tag. */
  tag: string;
  /** Loads the element: resolves once the tag is defined. */
  load: () => Promise<unknown>;
  /**
   * Whether the address bar says the element is needed now: it holds a mail link's token or the
   * result of a payment-method redirect, which the element takes from there.
   */
  wantedByLocation: () => boolean;
  /** How near the viewport an inline element loads, in px (IntersectionObserver's `rootMargin`). */
  nearMargin?: string;
}

export interface PortalLoader {
  /** The load once it started (triggered by use or by `loadNow()`), else `undefined`. */
  readonly loading: Promise<void> | undefined;
  /** Loads the element now, whatever the page does (e.g. ahead of a click). */
  loadNow(): Promise<void>;
}

type Stubbed = HTMLElement & Partial<Record<Method, () => void>>;

/**
 * Watches the page for the element's tag and loads the element when one is used: `show()` (the
 * yellow button), the `open` attribute, a mail link or a redirect's result in the address bar, or
 * an inline element coming near the viewport. A failed load is tried again on the next use.
 */
export function startPortalLoader({
  tag,
  load,
  wantedByLocation,
  nearMargin = '200px',
}: PortalLoaderOptions): PortalLoader {
  const stubbed = new Set<Stubbed>();
  const calls: [Stubbed, Method][] = [];
  /** Tags whose `open` property the page set before the load. */
  const openSet = new WeakSet<Element>();
  let loading: Promise<void> | undefined;
  let done = false;

  const near = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void start();
    },
    {rootMargin: nearMargin},
  );

  const start = (): Promise<void> => {
    if (!loading) {
      for (const element of stubbed) {
        if (!openSet.has(element)) delete (element as {open?: unknown}).open;
      }
    }
    loading ??= load()
      .then(() => customElements.whenDefined(tag))
      .then(
        () => {
          done = true;
          stop();
          // Upgraded tags get their own methods back; a tag that is not in the document now
          // upgrades when it is, and its stand-ins meanwhile call the element's (see adopt).
          for (const element of stubbed) {
            if (upgraded(element)) {
              for (const method of methods) delete element[method];
              stubbed.delete(element);
            }
          }
          for (const [element, method] of calls.splice(0)) call(element, method);
        },
        (error: unknown) => {
          // A dropped connection: the next use tries again; the calls stay remembered.
          loading = undefined;
          throw error;
        },
      );
    return loading;
  };

  /** Whether the tag is the loaded element now. */
  const upgraded = (element: Element) => {
    const loaded = done && customElements.get(tag);
    return !!loaded && element instanceof loaded;
  };

  /** The element's own method on `element`; one failing call does not stop the others. */
  const call = (element: Stubbed, method: Method) => {
    if (!upgraded(element)) return;
    try {
      (customElements.get(tag)!.prototype as Record<Method, () => void>)[method].call(element);
    } catch (error) {
      console.error(error);
    }
  };

  const use = () => {
    start().catch((error: unknown) => console.error(`${tag} could not be loaded`, error));
  };

  /** Gives a new tag its stand-in methods, and loads the element when it is in use already. */
  const adopt = (element: Stubbed) => {
    if (done || stubbed.has(element)) return;
    stubbed.add(element);
    for (const method of methods) {
      if (!Object.prototype.hasOwnProperty.call(element, method)) {
        // Kept by reference too (`onclick = portal.show`): after the load, it calls the
        // element's own method.
        element[method] = () => {
          if (done) return call(element, method);
          calls.push([element, method]);
          use();
        };
      }
    }
    // `portal.open = true` before the load (a framework's property binding) loads it too; Lit
    // takes the value over when it upgrades the tag. Until it is set, the property is not the
    // tag's own (start() removes it), or Lit would take the unset value over too.
    if (!loading && !Object.prototype.hasOwnProperty.call(element, 'open')) {
      let value: unknown;
      Object.defineProperty(element, 'open', {
        configurable: true,
        enumerable: true,
        get: () => (openSet.has(element) ? value : element.hasAttribute('open')),
        set: (next: unknown) => {
          value = next;
          openSet.add(element);
          if (next) use();
        },
      });
    }
    if (wantedByLocation()) {
      use();
    } else if (element.getAttribute('mode') === 'dialog') {
      if (element.hasAttribute('open')) use();
    } else if (nearViewport(element)) {
      // On screen already: no need to wait a frame for the observer to say so.
      use();
    } else {
      near.observe(element);
    }
  };

  /** Whether an inline element is within `nearMargin` of the viewport now (px margins only). */
  const nearViewport = (element: Element) => {
    const margin = parseFloat(nearMargin) || 0;
    const box = element.getBoundingClientRect();
    return (
      box.bottom >= -margin &&
      box.top <= innerHeight + margin &&
      box.right >= -margin &&
      box.left <= innerWidth + margin
    );
  };

  const scan = (root: ParentNode) => {
    if (root instanceof Element && root.localName === tag) adopt(root as Stubbed);
    root.querySelectorAll<Stubbed>(tag).forEach(adopt);
  };

  const changes = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') {
        const element = record.target as Stubbed;
        if (element.localName === tag && stubbed.has(element)) {
          stubbed.delete(element);
          near.unobserve(element);
          adopt(element);
        }
      } else {
        record.addedNodes.forEach((node) => {
          if (node instanceof Element) scan(node);
        });
      }
    }
  });

  const onLocation = () => {
    if (wantedByLocation() && stubbed.size) use();
  };

  function stop() {
    near.disconnect();
    changes.disconnect();
    window.removeEventListener('hashchange', onLocation);
    window.removeEventListener('popstate', onLocation);
  }

  changes.observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['open', 'mode'],
  });
  window.addEventListener('hashchange', onLocation);
  window.addEventListener('popstate', onLocation);
  scan(document);
  onLocation();

  return {
    get loading() {
      return loading;
    },
    loadNow: start,
  };
}
