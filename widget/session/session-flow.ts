import type {SessionInfo} from '../../common/contract.js';
import {ApiError, mayWorkLater, type PortalApiClient} from '../api/portal-api-client.js';
import type {LoginNotice} from '../views/login-notice.js';

/** What the portal shows: the placeholders while it starts, the login views, the dashboard. */
export type PortalView = 'starting' | 'signing-in' | 'login' | 'check-mail' | 'dashboard';

/** Why the dashboard failed to do what the user asked (the element says it in words). */
export type DashboardFailure = 'switch_failed' | 'logout_failed' | 'access_ended';

/** What the flow tells the element; it has no DOM and sends no events itself. */
export interface SessionFlowHost {
  /** The API client of the moment (it changes with `api-base`). */
  api(): PortalApiClient;
  /** Some state changed: render again. */
  changed(): void;
  /** A session was entered (from a link or the cookie): the dashboard opens. */
  entered(session: SessionInfo): void;
  /** The user moved to another view (or the session moved them): focus follows. */
  moved(): void;
  /** A mail link was exchanged for a session. */
  loggedIn(email: string): void;
  /** „Abmelden" ended the session. */
  loggedOut(): void;
  /** The session ended while the dashboard was open. */
  expired(): void;
  /** Whether a billing form of this session's active account was kept when a session ended. */
  draftWaits(session: SessionInfo): boolean;
}

/** Which login notice a failed link exchange leads to. */
export function linkFailureNotice(error: unknown): LoginNotice {
  if (error instanceof ApiError) {
    if (error.code === 'link_expired' || error.code === 'link_used') {
      return error.code;
    }
    if (error.code === 'link_invalid' || error.status === 401 || error.status === 404) {
      return 'link_invalid';
    }
  }
  return 'link_failed';
}

/**
 * The session as the portal goes through it: a link's token exchanged (or the cookie's session
 * found), the login form and „Prüfen Sie Ihr Postfach", the dashboard, switching accounts,
 * logging out and a session that ends on its own. A class without DOM: the element renders
 * its state and turns its callbacks into events and focus; tests drive it directly.
 */
export class SessionFlow {
  view: PortalView = 'starting';
  session?: SessionInfo;
  loginNotice: LoginNotice | '' = '';
  /** The address in the login form and „Prüfen Sie Ihr Postfach". */
  email = '';
  /** Why starting failed (the start view says it, with „Erneut versuchen"). */
  startError: unknown = null;
  dashboardFailure: DashboardFailure | '' = '';
  /** Whether the dashboard waits for a switch or a logout. */
  dashboardBusy = false;

  /** Whose Gate Pass the carrier lost access to (`access_ended`). */
  endedAccount = '';
  /** Whether `checkActiveAccount` is reading the session. */
  private checking = false;
  private pendingToken: string | null = null;
  /** A token whose exchange failed for a passing reason; „Erneut versuchen" exchanges it again. */
  private retriedToken: string | null = null;

  constructor(private readonly host: SessionFlowHost) {}

  /** A link's token (from the address bar): the next `start()` exchanges it. */
  receiveToken(token: string | null) {
    this.pendingToken = token;
  }

  /** Whether a token waits for `start()`. */
  get hasToken(): boolean {
    return this.pendingToken !== null;
  }

  /** Exchanges a waiting token, else looks for the cookie's session. */
  async start(signal: AbortSignal) {
    const token = this.pendingToken;
    this.pendingToken = null;
    this.startError = null;
    if (!token) {
      this.set({view: 'starting'});
      await this.enterExistingSession(signal, '');
      return;
    }
    this.set({view: 'signing-in'});
    try {
      const session = await this.host.api().exchangeLinkToken(token, signal);
      this.enterDashboard(session);
      // Focus moves to the dashboard's heading, so a screen reader says where the user is.
      this.host.moved();
      this.host.loggedIn(session.email);
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      if (mayWorkLater(error)) {
        // Said in words on the start view, with „Erneut versuchen" (the same token).
        this.pendingToken = token;
        this.retriedToken = token;
        this.set({view: 'starting', startError: error});
      } else if (
        token === this.retriedToken &&
        error instanceof ApiError &&
        error.code === 'link_used'
      ) {
        // The failed try may have used the link and set the session cookie after all.
        this.retriedToken = null;
        await this.enterExistingSession(signal, linkFailureNotice(error));
      } else {
        this.showLogin(linkFailureNotice(error));
      }
    }
  }

  /** The login form asked for a link: „Prüfen Sie Ihr Postfach". */
  linkRequested(email: string) {
    this.set({email, loginNotice: '', view: 'check-mail'});
    this.host.moved();
  }

  /** „Prüfen Sie Ihr Postfach" wants the login form back, to type another address. */
  changeEmail(email: string) {
    this.set({email, view: 'login'});
    this.host.moved();
  }

  /** Makes another of the session's accounts active; a new session object reloads every section. */
  async switchAccount(customerId: string, signal: AbortSignal) {
    this.set({dashboardBusy: true, dashboardFailure: ''});
    try {
      const session = await this.host.api().switchAccount(customerId, signal);
      this.set({session});
      return session;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found' && !signal.aborted) {
        // The account left the session meanwhile (a carrier's access ended): what it holds now.
        return await this.reread(signal);
      }
      if (!signal.aborted && this.view === 'dashboard') {
        this.set({dashboardFailure: 'switch_failed'});
      }
      return undefined;
    } finally {
      this.set({dashboardBusy: false});
    }
  }

  /**
   * A request found something gone (`404`): when the active Gate Pass is held through carrier
   * access, the session is read again. Its access ended: the server makes another account
   * active (the dashboard says whose access ended) or, with none left, the session is gone
   * (the API client's `401` shows the login form).
   */
  async checkActiveAccount(signal: AbortSignal) {
    const session = this.session;
    const active = session?.accounts.find((a) => a.customerId === session.activeCustomerId);
    if (this.view !== 'dashboard' || !session || active?.access !== 'carrier' || this.checking) {
      return;
    }
    this.checking = true;
    try {
      const now = await this.host.api().getSession(signal);
      if (this.session !== session) {
        return;
      }
      if (!now.accounts.some((a) => a.customerId === active.customerId)) {
        this.endedAccount = active.name || active.email || active.customerId;
        // Every section reloads for the account now active; the banner (an alert) says why.
        this.set({session: now, dashboardFailure: 'access_ended'});
      }
    } catch {
      // Unreachable, or the session is gone (`expire` runs): nothing more to say here.
    } finally {
      this.checking = false;
    }
  }

  /** The session as the server has it now (a `401` ends it through the API client). */
  private async reread(signal: AbortSignal) {
    try {
      const session = await this.host.api().getSession(signal);
      this.set({session});
      return session;
    } catch {
      if (!signal.aborted && this.view === 'dashboard') {
        this.set({dashboardFailure: 'switch_failed'});
      }
      return undefined;
    }
  }

  /** „Abmelden". */
  async logout(signal: AbortSignal) {
    this.set({dashboardBusy: true, dashboardFailure: ''});
    try {
      await this.host.api().logout(signal);
    } catch (error) {
      // A session that is already gone is as good as logged out.
      if (!(error instanceof ApiError && error.code === 'not_authenticated')) {
        this.set({dashboardFailure: 'logout_failed'});
        return;
      }
    } finally {
      this.set({dashboardBusy: false});
    }
    this.showLogin('logged_out');
    this.host.moved();
    this.host.loggedOut();
  }

  /** The API client found the session gone (401) while the dashboard was open. */
  expire() {
    if (this.view !== 'dashboard' || !this.session) {
      return;
    }
    // „Rechnung und Versand" has kept its form by now (the API client tells sections first).
    this.showLogin(
      this.host.draftWaits(this.session) ? 'session_expired_draft_kept' : 'session_expired',
    );
    this.host.moved();
    this.host.expired();
  }

  /** A section changed the account's data: a new session object makes every section reload. */
  accountDataChanged() {
    if (this.session) {
      this.set({session: {...this.session}});
    }
  }

  /**
   * New billing details: every section reloads (a new session object), and the switcher names
   * the Gate Pass holder, whose own name the server keeps when the invoice name becomes a
   * company's: only an account without any name so far takes the invoice name (as the server's
   * next answer will).
   */
  accountNamed(customerId: string, name: string | null) {
    const session = this.session;
    if (session) {
      this.set({
        session: {
          ...session,
          accounts: session.accounts.map((a) =>
            a.customerId === customerId && !a.name && name ? {...a, name} : a,
          ),
        },
      });
    }
  }

  /** The user went to another section: a failure said on the last one is old news. */
  clearDashboardFailure() {
    this.set({dashboardFailure: ''});
  }

  /** The session the cookie holds, if any: the dashboard, else the login form with `notice`. */
  private async enterExistingSession(signal: AbortSignal, notice: LoginNotice | '') {
    try {
      this.enterDashboard(await this.host.api().getSession(signal));
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      if (error instanceof ApiError && error.code === 'not_authenticated') {
        this.showLogin(notice);
      } else {
        this.set({view: 'starting', startError: error});
      }
    }
  }

  private enterDashboard(session: SessionInfo) {
    this.session = session;
    this.host.entered(session);
    this.set({dashboardFailure: '', loginNotice: '', view: 'dashboard'});
  }

  private showLogin(notice: LoginNotice | '') {
    this.set({session: undefined, loginNotice: notice, view: 'login'});
  }

  private set(changes: Partial<Pick<SessionFlow, SessionFlowField>>) {
    Object.assign(this, changes);
    this.host.changed();
  }
}

type SessionFlowField =
  | 'view'
  | 'session'
  | 'loginNotice'
  | 'email'
  | 'startError'
  | 'dashboardFailure'
  | 'dashboardBusy';
