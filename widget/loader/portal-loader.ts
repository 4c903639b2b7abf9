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
  let loading: Promise<void> | undefined;
  let done = false;

  const near = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void start();
    },
    {rootMargin: nearMargin},
  );

  const start = (): Promise<void> => {
    loading ??= load()
      .then(() => customElements.whenDefined(tag))
      .then(
        () => {
          done = true;
          stop();
          for (const element of stubbed) {
            for (const method of methods) delete element[method];
          }
          stubbed.clear();
          for (const [element, method] of calls.splice(0)) {
            (element as HTMLElement & Record<Method, () => void>)[method]();
          }
        },
        (error: unknown) => {
          // A dropped connection: the next use tries again; the calls stay remembered.
          loading = undefined;
          throw error;
        },
      );
    return loading;
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
        element[method] = () => {
          calls.push([element, method]);
          use();
        };
      }
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
