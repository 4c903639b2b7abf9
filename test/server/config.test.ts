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

const WEBHOOK_SECRET = 'whsec_test_config';

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
    assert.equal(config.host, '127.0.0.1');
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
    assert.throws(() => parseConfig({...valid, TRUST_PROXY: 'true'}), /TRUST_PROXY/);
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

describe('parseConfig: where to listen and how to stop', () => {
  it('listens on the IP address in HOST, IPv4 or IPv6', () => {
    for (const host of ['0.0.0.0', '::', '::1', '10.0.3.7']) {
      assert.equal(parseConfig({...valid, HOST: ` ${host} `}).host, host);
    }
  });

  it('refuses a HOST that is not an IP address, naming it', () => {
    for (const host of ['localhost', '0.0.0.0:8080', '[::1]', '300.1.1.1', 'http://0.0.0.0']) {
      assert.throws(
        () => parseConfig({...valid, HOST: host}),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.deepEqual(error.problems, [
            `HOST is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::): ${host}`,
          ]);
          return true;
        },
      );
    }
  });

  it('reads SHUTDOWN_DRAIN_MS and refuses one that is not shorter than the timeout', () => {
    const set = parseConfig({...valid, SHUTDOWN_DRAIN_MS: '2000', SHUTDOWN_TIMEOUT_MS: '9000'});
    assert.equal(set.shutdownDrainMs, 2000);
    assert.equal(set.shutdownTimeoutMs, 9000);
    assert.equal(parseConfig({...valid, SHUTDOWN_DRAIN_MS: '0'}).shutdownDrainMs, 0);
    assert.equal(
      parseConfig({...valid, SHUTDOWN_DRAIN_MS: '0', SHUTDOWN_TIMEOUT_MS: '0'}).shutdownDrainMs,
      0,
    );
    assert.throws(() => parseConfig({...valid, SHUTDOWN_DRAIN_MS: '5s'}), /SHUTDOWN_DRAIN_MS/);
    assert.throws(() => parseConfig({...valid, SHUTDOWN_DRAIN_MS: '-1'}), /SHUTDOWN_DRAIN_MS/);
    assert.throws(
      () => parseConfig({...valid, SHUTDOWN_DRAIN_MS: '25000'}),
      /SHUTDOWN_DRAIN_MS is not shorter than SHUTDOWN_TIMEOUT_MS/,
    );
    assert.throws(
      () => parseConfig({...valid, SHUTDOWN_TIMEOUT_MS: '3000'}),
      /SHUTDOWN_DRAIN_MS is not shorter than SHUTDOWN_TIMEOUT_MS/,
    );
  });
});

describe('parseConfig: scale-out and fault settings', () => {
  it('keeps the security defaults and memory unless told otherwise', () => {
    const config = parseConfig(valid);
    assert.equal(config.redis, null);
    assert.deepEqual(config.rateLimits, {
      linksPerIp15Min: 50,
      linksPerAddress15Min: 3,
      linksPerAddressDay: 10,
      failedExchangesPerIp15Min: 20,
    });
    assert.equal(config.stripeTimeoutMs, 20_000);
    assert.equal(config.stripeMaxNetworkRetries, 2);
    assert.deepEqual(config.mailRetryDelaysMs, [500, 2000, 5000]);
    assert.equal(config.shutdownDrainMs, 5_000);
    assert.equal(config.shutdownTimeoutMs, 25_000);
    assert.equal(config.logLevel, 'info');
  });

  it('reads REDIS_URL, REDIS_PREFIX, limits, timeouts and retry delays', () => {
    const config = parseConfig({
      ...valid,
      REDIS_URL: 'redis://:pw@10.0.0.5:6379/2',
      REDIS_PREFIX: 'portal-a:',
      REDIS_TIMEOUT_MS: '500',
      RATE_LIMIT_LINKS_PER_IP_15MIN: '100000',
      STRIPE_TIMEOUT_MS: '300',
      MAIL_RETRY_DELAYS_MS: '10, 20',
      LOG_LEVEL: 'warn',
    });
    assert.deepEqual(config.redis, {
      url: 'redis://:pw@10.0.0.5:6379/2',
      prefix: 'portal-a:',
      timeoutMs: 500,
    });
    assert.equal(config.rateLimits.linksPerIp15Min, 100000);
    assert.equal(config.rateLimits.linksPerAddress15Min, 3);
    assert.equal(config.stripeTimeoutMs, 300);
    assert.deepEqual(config.mailRetryDelaysMs, [10, 20]);
    assert.equal(config.logLevel, 'warn');
  });

  it('refuses bad values and never echoes a Redis password', () => {
    assert.throws(
      () =>
        parseConfig({
          ...valid,
          REDIS_URL: 'http://:secretpw@host',
          RATE_LIMIT_LINKS_PER_ADDRESS_15MIN: '0',
          STRIPE_TIMEOUT_MS: 'soon',
          MAIL_RETRY_DELAYS_MS: '1,x',
          LOG_LEVEL: 'loud',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 5);
        assert.doesNotMatch(error.message, /secretpw/);
        return true;
      },
    );
  });

  it('reads STRIPE_WEBHOOK_SECRET and CACHE_TTL_SECONDS, and refuses bad ones', () => {
    assert.equal(parseConfig(valid).cacheTtlSeconds, 60);
    const set = parseConfig({
      ...valid,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      CACHE_TTL_SECONDS: '0',
    });
    assert.equal(set.stripe.webhookSecret, WEBHOOK_SECRET);
    assert.equal(set.cacheTtlSeconds, 0);
    assert.throws(() => parseConfig({...valid, STRIPE_WEBHOOK_SECRET: 'secret'}), /WEBHOOK/);
    assert.throws(() => parseConfig({...valid, CACHE_TTL_SECONDS: '-1'}), /CACHE_TTL_SECONDS/);
    assert.throws(() => parseConfig({...valid, CACHE_TTL_SECONDS: '1h'}), /CACHE_TTL_SECONDS/);
  });

  it('takes invoice PDFs from *.stripe.com unless STRIPE_PDF_HOSTS says otherwise', () => {
    assert.deepEqual(parseConfig(valid).stripe.pdfHosts, ['*.stripe.com']);
    const emulated = parseConfig({...valid, STRIPE_API_BASE: 'http://127.0.0.1:12111'});
    assert.deepEqual(emulated.stripe.pdfHosts, ['*.stripe.com'], 'STRIPE_API_BASE adds nothing');
    const set = parseConfig({
      ...valid,
      STRIPE_PDF_HOSTS: ' PAY.stripe.com, *.Files.Stripe.com ,,files.example-cdn.net',
    });
    assert.deepEqual(set.stripe.pdfHosts, [
      'pay.stripe.com',
      '*.files.stripe.com',
      'files.example-cdn.net',
    ]);
  });

  it('refuses a STRIPE_PDF_HOSTS entry that is not a host name or *.domain, naming each', () => {
    const wrong = [
      'https://pay.stripe.com',
      'pay.stripe.com:443',
      'pay.stripe.com/invoice',
      '*',
      '*.com',
      'pay.*.com',
      '-pay.stripe.com',
    ];
    assert.throws(
      () => parseConfig({...valid, STRIPE_PDF_HOSTS: `*.stripe.com,${wrong.join(',')}`}),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems,
          wrong.map(
            (entry) =>
              `STRIPE_PDF_HOSTS holds something that is not a host name or *.domain: ${entry}`,
          ),
        );
        return true;
      },
    );
    assert.throws(
      () => parseConfig({...valid, STRIPE_PDF_HOSTS: ' , '}),
      /STRIPE_PDF_HOSTS names no host/,
    );
  });
});

describe('parseConfig: one schema for the whole environment', () => {
  it('names every wrong setting at once, the cross-checked ones included', () => {
    assert.throws(
      () =>
        parseConfig({
          ...valid,
          PORT: 'abc',
          LOG_LEVEL: 'loud',
          SESSION_SECRET_PREVIOUS: `${'b'.repeat(64)}, short`,
          SHUTDOWN_DRAIN_MS: '30000',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems.toSorted(), [
          'LOG_LEVEL is not one of debug, info, warn, error, silent',
          'PORT is not a port',
          'SESSION_SECRET_PREVIOUS holds a secret shorter than 32 bytes',
          'SHUTDOWN_DRAIN_MS is not shorter than SHUTDOWN_TIMEOUT_MS, which includes it',
        ]);
        return true;
      },
    );
  });

  it('names a list with several wrong entries once, without echoing them', () => {
    assert.throws(
      () => parseConfig({...valid, MAIL_RETRY_DELAYS_MS: 'x,-1,y'}),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems, [
          'MAIL_RETRY_DELAYS_MS is not a list of up to 10 delays in ms, e.g. 500,2000,5000',
        ]);
        return true;
      },
    );
  });

  it('treats a blank setting as unset and keeps the older session secrets in order', () => {
    const config = parseConfig({
      ...valid,
      PORT: '  ',
      LOG_LEVEL: '',
      SESSION_SECRET_PREVIOUS: ` ${'b'.repeat(64)} ,, ${'c'.repeat(64)}`,
    });
    assert.equal(config.port, 8080);
    assert.equal(config.logLevel, 'info');
    assert.deepEqual(config.session.secrets, ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)]);
  });

  it('ignores variables it does not know', () => {
    assert.equal(parseConfig({...valid, PATH: '/usr/bin', DEMO_PAGES_PORT: 'x'}).port, 8080);
  });
});
