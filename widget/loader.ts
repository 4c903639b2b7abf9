// The one script a page embeds (`conroo-billing-portal.js`, a stable URL the server has the
// browser revalidate). It costs the page about a kilobyte until the portal is used; then it
// loads the element (`index.ts`) and with it the rest, from content-hashed chunks next to it that
// never change under their name (loader/portal-loader.ts says when; vite.config.ts how).
import {portalWantedByLocation} from './loader/location-signals.js';
import {startPortalLoader} from './loader/portal-loader.js';

const loader = startPortalLoader({
  tag: 'conroo-billing-portal',
  load: () => import('./index.js'),
  wantedByLocation: portalWantedByLocation,
});

/**
 * Loads the element now. For a page that creates `<conroo-billing-portal>` by script and calls
 * `show()` in the same task, before the loader has seen the new tag:
 * `import {loadPortal} from '…/conroo-billing-portal.js'; await loadPortal(); portal.show();`
 */
export const loadPortal = (): Promise<void> => loader.loadNow();
