import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {SessionTokens} from '../../server/services/session-tokens.js';

const config = {
  secrets: ['s'.repeat(64)],
  idleTimeoutSeconds: 30 * 60,
  absoluteTimeoutSeconds: 8 * 3600,
  cookieName: '__Host-conroo_session',
};

describe('SessionTokens: a token verified before', () => {
  it('is still checked against the clock (idle expiry)', () => {
    let now = 1_800_000_000;
    const tokens = new SessionTokens(config, () => now);
    const {token} = tokens.issue('a@example.com', ['cus_a'], 'epoch-1');
    assert.ok(tokens.verify(token));
    assert.ok(tokens.verify(token), 'remembered');
    now += 30 * 60;
    assert.equal(tokens.verify(token), null, 'expired although remembered');
  });

  it('is still checked against the absolute timeout', () => {
    let now = 1_800_000_000;
    const tokens = new SessionTokens(config, () => now);
    let {token, claims} = tokens.issue('a@example.com', ['cus_a'], 'epoch-1');
    for (let t = 0; t < 8 * 3600 - 20 * 60; t += 20 * 60) {
      now += 20 * 60;
      ({token, claims} = tokens.renew(claims));
      assert.ok(tokens.verify(token));
    }
    now += 20 * 60;
    assert.equal(tokens.verify(token), null);
  });

  it('is not accepted by an instance with other secrets', () => {
    const tokens = new SessionTokens(config);
    const {token} = tokens.issue('a@example.com', ['cus_a'], 'epoch-1');
    assert.ok(tokens.verify(token));
    const other = new SessionTokens({...config, secrets: ['t'.repeat(64)]});
    assert.equal(other.verify(token), null);
    assert.equal(tokens.verify(`${token.slice(0, -2)}xx`), null, 'a changed signature');
  });
});
