import {expect} from '@open-wc/testing';
import type {SessionInfo} from '../../common/contract.js';
import {ApiError, type PortalApiClient} from '../../widget/api/portal-api-client.js';
import {SessionFlow, type SessionFlowHost} from '../../widget/session/session-flow.js';

// The session flow without an element: a fake API client and a host that records what the
// flow told it.

const session = (activeCustomerId = 'cus_a'): SessionInfo => ({
  email: 'fahrer@example.com',
  accounts: [
    {
      customerId: 'cus_a',
      name: 'A',
      email: 'fahrer@example.com',
      subscriptionStatus: 'active',
      access: 'owner',
    },
    {
      customerId: 'cus_b',
      name: 'B',
      email: 'fahrer@example.com',
      subscriptionStatus: 'active',
      access: 'owner',
    },
  ],
  activeCustomerId,
  expiresAt: 0,
});

const fail = (status: number, code: string) =>
  Promise.reject(new ApiError(status, code as ApiError['code'], code));

type Api = Partial<Record<keyof PortalApiClient, (...args: never[]) => Promise<unknown>>>;

function setup(api: Api, {draft = false} = {}) {
  const told: string[] = [];
  const host: SessionFlowHost = {
    api: () => api as unknown as PortalApiClient,
    changed: () => {},
    entered: (entered) => told.push(`entered ${entered.activeCustomerId}`),
    moved: () => told.push('moved'),
    loggedIn: (email) => told.push(`login ${email}`),
    loggedOut: () => told.push('logout'),
    expired: () => told.push('expired'),
    draftWaits: () => draft,
  };
  return {flow: new SessionFlow(host), told, signal: new AbortController().signal};
}

describe('SessionFlow', () => {
  it('opens the dashboard with the session the cookie holds', async () => {
    const {flow, told, signal} = setup({getSession: () => Promise.resolve(session())});
    await flow.start(signal);
    expect(flow.view).to.equal('dashboard');
    expect(flow.session?.activeCustomerId).to.equal('cus_a');
    expect(told).to.deep.equal(['entered cus_a']);
  });

  it('shows the login form without a notice when there is no session', async () => {
    const {flow, signal} = setup({getSession: () => fail(401, 'not_authenticated')});
    await flow.start(signal);
    expect(flow.view).to.equal('login');
    expect(flow.loginNotice).to.equal('');
  });

  it('exchanges a link token, logs in and moves focus to the dashboard', async () => {
    const tokens: string[] = [];
    const {flow, told, signal} = setup({
      exchangeLinkToken: (token: string) => (tokens.push(token), Promise.resolve(session())),
    });
    flow.receiveToken('tok_1');
    await flow.start(signal);
    expect(tokens).to.deep.equal(['tok_1']);
    expect(flow.view).to.equal('dashboard');
    expect(told).to.deep.equal(['entered cus_a', 'moved', 'login fahrer@example.com']);
  });

  for (const [code, notice] of [
    ['link_expired', 'link_expired'],
    ['link_used', 'link_used'],
    ['link_invalid', 'link_invalid'],
  ] as const) {
    it(`shows the login form with „${notice}" when the link is ${code}`, async () => {
      const {flow, told, signal} = setup({exchangeLinkToken: () => fail(401, code)});
      flow.receiveToken('tok_1');
      await flow.start(signal);
      expect(flow.view).to.equal('login');
      expect(flow.loginNotice).to.equal(notice);
      expect(told).to.deep.equal([]);
    });
  }

  it('keeps the token for „Erneut versuchen" when the server is down, and enters the session a used link set on the retry', async () => {
    let tries = 0;
    const {flow, signal} = setup({
      exchangeLinkToken: () =>
        ++tries === 1 ? fail(503, 'service_unavailable') : fail(401, 'link_used'),
      getSession: () => Promise.resolve(session()),
    });
    flow.receiveToken('tok_1');
    await flow.start(signal);
    expect(flow.view).to.equal('starting');
    expect((flow.startError as ApiError).code).to.equal('service_unavailable');
    expect(flow.hasToken).to.equal(true);

    await flow.start(signal);
    expect(tries).to.equal(2);
    expect(flow.view).to.equal('dashboard');
  });

  it('goes to „Prüfen Sie Ihr Postfach" and back with the address', () => {
    const {flow, told} = setup({});
    flow.linkRequested('fahrer@example.com');
    expect(flow.view).to.equal('check-mail');
    flow.changeEmail('fahrer@example.com');
    expect(flow.view).to.equal('login');
    expect(flow.email).to.equal('fahrer@example.com');
    expect(told).to.deep.equal(['moved', 'moved']);
  });

  it('switches the account, and says so when switching fails', async () => {
    let down = false;
    const {flow, signal} = setup({
      getSession: () => Promise.resolve(session()),
      switchAccount: (customerId: string) =>
        down ? fail(503, 'service_unavailable') : Promise.resolve(session(customerId)),
    });
    await flow.start(signal);
    expect((await flow.switchAccount('cus_b', signal))?.activeCustomerId).to.equal('cus_b');
    expect(flow.session?.activeCustomerId).to.equal('cus_b');
    expect(flow.dashboardBusy).to.equal(false);

    down = true;
    expect(await flow.switchAccount('cus_a', signal)).to.equal(undefined);
    expect(flow.dashboardFailure).to.equal('switch_failed');
    expect(flow.session?.activeCustomerId).to.equal('cus_b');
  });

  it('logs out (also when the session was already gone), and says so when it fails', async () => {
    let answer: () => Promise<unknown> = () => fail(503, 'service_unavailable');
    const {flow, told, signal} = setup({
      getSession: () => Promise.resolve(session()),
      logout: () => answer(),
    });
    await flow.start(signal);
    await flow.logout(signal);
    expect(flow.view).to.equal('dashboard');
    expect(flow.dashboardFailure).to.equal('logout_failed');

    answer = () => fail(401, 'not_authenticated');
    await flow.logout(signal);
    expect(flow.view).to.equal('login');
    expect(flow.loginNotice).to.equal('logged_out');
    expect(flow.session).to.equal(undefined);
    expect(told.slice(-2)).to.deep.equal(['moved', 'logout']);
  });

  it('shows the login form when the session expires on the dashboard, saying a draft was kept', async () => {
    const {flow, told, signal} = setup(
      {getSession: () => Promise.resolve(session())},
      {draft: true},
    );
    flow.expire();
    expect(told).to.deep.equal([]); // Not on the dashboard yet: nothing to end.
    await flow.start(signal);
    flow.expire();
    expect(flow.view).to.equal('login');
    expect(flow.loginNotice).to.equal('session_expired_draft_kept');
    expect(told.slice(-2)).to.deep.equal(['moved', 'expired']);
  });

  it('reads the session again when a carrier-held Gate Pass answers 404, and says whose access ended', async () => {
    const held = session('cus_b');
    held.accounts[1] = {...held.accounts[1], access: 'carrier', name: 'Jan Kowalski'};
    const after = session('cus_a');
    after.accounts = [after.accounts[0]];
    let reads = 0;
    const {flow, signal} = setup({
      getSession: () => Promise.resolve(reads++ === 0 ? held : after),
    });
    await flow.start(signal);
    await flow.checkActiveAccount(signal);
    expect(flow.session).to.equal(after);
    expect(flow.dashboardFailure).to.equal('access_ended');
    expect(flow.endedAccount).to.equal('Jan Kowalski');
  });

  it('switching to an account that left the session meanwhile shows what the session holds now', async () => {
    const now = session('cus_a');
    now.accounts = [now.accounts[0]];
    let reads = 0;
    const {flow, signal} = setup({
      getSession: () => Promise.resolve(reads++ === 0 ? session() : now),
      switchAccount: () => fail(404, 'not_found'),
    });
    await flow.start(signal);
    await flow.switchAccount('cus_b', signal);
    expect(flow.session).to.equal(now);
    expect(flow.dashboardFailure).to.equal('');
  });

  it('does not read the session again for a 404 on a Gate Pass the session owns', async () => {
    let reads = 0;
    const {flow, signal} = setup({getSession: () => (reads++, Promise.resolve(session()))});
    await flow.start(signal);
    await flow.checkActiveAccount(signal);
    expect(reads).to.equal(1);
    expect(flow.dashboardFailure).to.equal('');
  });

  it('keeps the holder’s name in the switcher after a company’s billing details; names a nameless one; every section reloads', async () => {
    const nameless = session();
    nameless.accounts[0] = {...nameless.accounts[0], name: null};
    const {flow, signal} = setup({getSession: () => Promise.resolve(nameless)});
    await flow.start(signal);
    const before = flow.session;
    flow.accountNamed('cus_b', 'Spedition B GmbH');
    // A new session object is what makes the sections read the saved details again.
    expect(flow.session).not.to.equal(before);
    expect(flow.session?.accounts.map((account) => account.name)).to.deep.equal([null, 'B']);
    flow.accountNamed('cus_a', 'Spedition A GmbH');
    expect(flow.session?.accounts.map((account) => account.name)).to.deep.equal([
      'Spedition A GmbH',
      'B',
    ]);
  });
});
