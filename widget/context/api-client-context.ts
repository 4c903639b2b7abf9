import {createContext} from '@lit/context';
import type {PortalApiClient} from '../api/portal-api-client.js';

/** The API client of the enclosing portal; replaced (never mutated) when `api-base` changes. */
export const apiClientContext = createContext<PortalApiClient>(Symbol('conroo-api-client'));
