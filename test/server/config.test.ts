import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {ConfigError, parseConfig, REQUIRED_SETTINGS} from '../../server/config.js';

const valid = {
  STRIPE_SECRET_KEY: 'sk_test_x',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_x',
  POSTMARK_SERVER_TOKEN: 'token',
  MAIL_FROM: 'kundenportal@conroo.com',
  SESSION_SECRET: 'a'.repeat(64),
  PORTAL_URL: 'https://www.conroo.com/kundenportal',
  ALLOWED_ORIGINS: 'https://www.conroo.com, https://app.conroo.com',
};

describe('parseConfig', () => {
  it('names every missing setting at once', () => {
    assert.throws(
      () => parseConfig({}),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        for (const name of REQUIRED_SETTINGS)
          assert.match(error.message, new RegExp(`${name} is missing`));
        return true;
      },
    );
  });

  it('reads a complete production configuration with defaults', () => {
    const config = parseConfig(valid);
    assert.equal(config.port, 8080);
    assert.equal(config.magicLinkTtlSeconds, 24 * 3600);
    assert.deepEqual(config.allowedOrigins, ['https://www.conroo.com', 'https://app.conroo.com']);
    assert.equal(config.stripe.apiBase, null);
    assert.equal(config.trustProxy, false);
  });

  it('refuses a short session secret, a wildcard origin and a bad TTL', () => {
    assert.throws(() => parseConfig({...valid, SESSION_SECRET: 'short'}), /SESSION_SECRET/);
    assert.throws(() => parseConfig({...valid, ALLOWED_ORIGINS: '*'}), /ALLOWED_ORIGINS/);
    assert.throws(
      () => parseConfig({...valid, ALLOWED_ORIGINS: 'https://x.com/path'}),
      /ALLOWED_ORIGINS/,
    );
    assert.throws(() => parseConfig({...valid, MAGIC_LINK_TTL: 'soon'}), /MAGIC_LINK_TTL/);
  });

  it('reads MAGIC_LINK_TTL, PORT and the emulator base', () => {
    const config = parseConfig({
      ...valid,
      MAGIC_LINK_TTL: '2h',
      PORT: '9000',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
    });
    assert.equal(config.magicLinkTtlSeconds, 7200);
    assert.equal(config.port, 9000);
    assert.equal(config.stripe.apiBase?.port, '12111');
  });
});
