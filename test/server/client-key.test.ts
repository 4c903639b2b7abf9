import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {clientKey} from '../../server/http/client-key.js';

describe('clientKey (what a per-IP limit counts under)', () => {
  it('counts an IPv4 address, also IPv4-mapped, by itself', () => {
    assert.equal(clientKey('203.0.113.7'), '203.0.113.7');
    assert.equal(clientKey('::ffff:203.0.113.7'), '203.0.113.7');
  });

  it('counts every address of one IPv6 /64 as one client, however it is written', () => {
    const keys = ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::99', '2001:0db8:0001:0002:aaaa::1'].map(
      clientKey,
    );
    assert.deepEqual(new Set(keys), new Set(['2001:db8:1:2::/64']));
    assert.notEqual(clientKey('2001:db8:1:3::1'), keys[0]);
  });
});
