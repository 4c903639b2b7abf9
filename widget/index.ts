// The element: importing it defines <conroo-billing-portal> and all of its parts. A page loads
// it through the loader (loader.ts, its one script tag) when the portal is used; a bundler or a
// test may import it directly.
export {ConrooBillingPortal} from './conroo-billing-portal.js';
export type {PortalEventMap} from './events.js';
