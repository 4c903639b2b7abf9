import {createContext} from '@lit/context';
import type {SessionInfo} from '../../common/contract.js';

/**
 * The signed-in session, `undefined` while nobody is signed in. A new object whenever the
 * session changes (e.g. another account became active) or the account's data changed (e.g. a
 * new default payment method), so sections reload on identity change.
 */
export const sessionContext = createContext<SessionInfo | undefined>(Symbol('conroo-session'));
