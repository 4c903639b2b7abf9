import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {
  rememberLocale,
  rememberedLocale,
  resolveLocale,
  switchLocale,
  type PortalLocale,
} from '../localization.js';

/**
 * Chooses the language the portal renders in and loads it: the pick in the portal's switcher,
 * else the element's `lang`, the one picked before in this browser, the closest ancestor's
 * `lang` (followed when it changes), the browser's languages, German.
 */
export class LocaleController implements ReactiveController {
  /** Whether the first language's strings are there (until then the portal shows a placeholder). */
  ready = false;
  private requested?: PortalLocale;
  /** The language picked in this element's switcher, if any: it wins over everything. */
  private switched?: PortalLocale;
  /** Watches the page's `lang` (and the nearest ancestor's): the portal follows a change. */
  private observer?: MutationObserver;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected() {
    this.observer = new MutationObserver(() => this.host.requestUpdate());
    for (const node of new Set([
      this.host.parentElement?.closest('[lang]'),
      document.documentElement,
    ])) {
      if (node) {
        this.observer.observe(node, {attributes: true, attributeFilter: ['lang']});
      }
    }
  }

  hostDisconnected() {
    this.observer?.disconnect();
  }

  hostUpdate() {
    const locale =
      this.switched ??
      resolveLocale([
        this.host.lang,
        rememberedLocale(),
        this.host.parentElement?.closest('[lang]')?.getAttribute('lang'),
        document.documentElement.lang,
        ...navigator.languages,
      ]);
    // Only our own change of language switches the page's locale, so that two portals with
    // different languages on one page cannot switch it back and forth forever. A later switch
    // keeps the view, and what was typed in it, and @localized renders it again once the
    // strings have loaded.
    if (locale !== this.requested) {
      this.requested = locale;
      const loaded = () => {
        if (this.requested === locale && !this.ready) {
          this.ready = true;
          this.host.requestUpdate();
        }
      };
      switchLocale(locale).then(loaded, loaded);
    }
  }

  /** The user picked `locale` in the switcher: remembered in this browser, and it wins. */
  choose(locale: PortalLocale) {
    this.switched = locale;
    rememberLocale(locale);
    this.host.requestUpdate();
  }
}
