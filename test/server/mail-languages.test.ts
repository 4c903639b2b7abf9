import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import {mailLocale, renderLoginLinkMail} from '../../server/mail/login-link-mail.js';
import {allLocales, targetLocales} from '../../common/generated/locale-codes.js';
import {startPortal} from './harness.js';

/** What a translator wrote in xliff/<locale>.xlf for a German source text. */
function translationOf(locale: string, source: string): string {
  const xlf = readFileSync(new URL(`../../xliff/${locale}.xlf`, import.meta.url), 'utf8');
  for (const [, body] of xlf.matchAll(/<trans-unit\b[^>]*>([\s\S]*?)<\/trans-unit>/g)) {
    if (body.match(/<source>([\s\S]*?)<\/source>/)?.[1] === source) {
      const target = body.match(/<target>([\s\S]*?)<\/target>/)?.[1];
      assert.ok(target, `${locale}.xlf has no translation of „${source}"`);
      return target;
    }
  }
  assert.fail(`„${source}" is not in ${locale}.xlf`);
}

const link = 'https://www.conroo.com/kundenportal#conroo-portal-token=abc';
const germanWords = /gültig|angefordert|Kundenportal|weiterleiten|Hallo/;

describe('the login mail in every language of the portal', () => {
  for (const locale of targetLocales) {
    it(`is written in ${locale} from the element's translations`, () => {
      const mail = renderLoginLinkMail({link, locale, validSeconds: 90 * 60});
      assert.equal(mail.subject, translationOf(locale, 'Ihr Zugang zum CONROO-Kundenportal'));
      const button = translationOf(locale, 'Zum Kundenportal');
      assert.ok(mail.html.includes(`>${button}</a>`), `the link button says „${button}"`);
      assert.ok(mail.html.includes(`<html lang="${locale}">`));
      // The duration comes from Intl in the mail's language, inside the translated sentence.
      const duration = new Intl.NumberFormat(locale, {
        style: 'unit',
        unit: 'minute',
        unitDisplay: 'long',
      }).format(90);
      const validity = translationOf(
        locale,
        'Der Link ist <x id="0" equiv-text="${validity.duration}"/> gültig und kann nur einmal verwendet werden.',
      ).replace(/<x id="0"[^>]*\/>/, duration);
      assert.ok(mail.text.includes(validity), `the text says „${validity}"`);
      assert.ok(mail.text.includes(link));
      assert.doesNotMatch(mail.text, germanWords);
    });
  }

  it('is German for German and for languages the portal does not speak', () => {
    for (const asked of ['de', 'de-AT', 'fr-FR', undefined]) {
      const german = renderLoginLinkMail({link, locale: mailLocale(asked), validSeconds: 86_400});
      assert.equal(german.subject, 'Ihr Zugang zum CONROO-Kundenportal');
      assert.match(german.text, /Der Link ist 24 Stunden gültig/);
    }
    assert.deepEqual(
      targetLocales.map((locale) => mailLocale(`${locale.toUpperCase()}-XX`)),
      targetLocales,
    );
    assert.ok(allLocales.includes('de'));
  });

  describe('through the API', () => {
    let portal: Awaited<ReturnType<typeof startPortal>>;
    before(async () => {
      portal = await startPortal();
    });
    after(() => portal.close());

    it('is sent in the language the element asks for (region subtags are fine)', async () => {
      const client = portal.client();
      await client.post('/api/auth/email-link', {email: 'fahrer@example.com', locale: 'pl-PL'});
      await client.post('/api/auth/email-link', {email: 'paypal@example.com', locale: 'uk'});
      await client.post('/api/auth/email-link', {email: 'firma@example.com', locale: 'fr-FR'});
      await portal.app.drain();
      const mails = await portal.outbox.messages();
      const subjectTo = (email: string) => mails.find((mail) => mail.to === email)!.subject;
      assert.equal(
        subjectTo('fahrer@example.com'),
        translationOf('pl', 'Ihr Zugang zum CONROO-Kundenportal'),
      );
      assert.equal(
        subjectTo('paypal@example.com'),
        translationOf('uk', 'Ihr Zugang zum CONROO-Kundenportal'),
      );
      assert.equal(subjectTo('firma@example.com'), 'Ihr Zugang zum CONROO-Kundenportal');
    });
  });
});
