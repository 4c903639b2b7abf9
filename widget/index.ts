// Entry of the bundle: loading it defines <conroo-billing-portal> and all of its parts.
export {ConrooBillingPortal} from './conroo-billing-portal.js';
export type {PortalEventMap} from './events.js';
