import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {COUNTRY_CODES, parseTaxId, taxIdExample} from '../../common/billing-rules.js';

/** [billing country, valid as typed, stored as, invalid]. Valid ones follow Stripe's examples. */
const EXAMPLES: Array<[string, string, string, string]> = [
  ['AT', 'ATU12345678', 'ATU12345678', 'AT12345678'],
  ['BE', 'BE0123456789', 'BE0123456789', 'BE2123456789'],
  ['BG', 'BG0123456789', 'BG0123456789', 'BG01234567'],
  ['HR', 'HR12345678912', 'HR12345678912', 'HR1234567891'],
  ['CY', 'CY12345678Z', 'CY12345678Z', 'CY123456789'],
  ['CZ', 'CZ1234567890', 'CZ1234567890', 'CZ1234567'],
  ['DK', 'DK12345678', 'DK12345678', 'DK1234567'],
  ['EE', 'EE123456789', 'EE123456789', 'EE12345678'],
  ['FI', 'FI12345678', 'FI12345678', 'FI123456789'],
  ['FR', 'FRAB123456789', 'FRAB123456789', 'FRAB12345678'],
  ['DE', 'DE123456789', 'DE123456789', 'DE12345678'],
  ['GR', 'EL123456789', 'EL123456789', 'GR123456789'],
  ['HU', 'HU12345678', 'HU12345678', 'HU1234567'],
  ['IE', 'IE1234567AB', 'IE1234567AB', 'IE12345678'],
  ['IT', 'IT12345678912', 'IT12345678912', 'IT1234567891'],
  ['LV', 'LV12345678912', 'LV12345678912', 'LV1234567891'],
  ['LT', 'LT123456789123', 'LT123456789123', 'LT1234567890'],
  ['LU', 'LU12345678', 'LU12345678', 'LU123456789'],
  ['MT', 'MT12345678', 'MT12345678', 'MT1234567'],
  ['NL', 'NL123456789B12', 'NL123456789B12', 'NL123456789012'],
  ['PL', 'PL1234567890', 'PL1234567890', 'PL123456789'],
  ['PT', 'PT123456789', 'PT123456789', 'PT12345678'],
  ['RO', 'RO1234567891', 'RO1234567891', 'RO12345678912'],
  ['SK', 'SK1234567891', 'SK1234567891', 'SK123456789'],
  ['SI', 'SI12345678', 'SI12345678', 'SI1234567'],
  ['ES', 'ESA1234567Z', 'ESA1234567Z', 'ES12345678'],
  ['SE', 'SE123456789123', 'SE123456789123', 'SE12345678912'],
  ['GB', 'GB123456789', 'GB123456789', 'GB12345678'],
  ['CH', 'CHE-123.456.789 MWST', 'CHE-123.456.789 MWST', 'CHE-123.456.78 MWST'],
  ['NO', '123456789MVA', '123456789MVA', '12345678MVA'],
  ['DE', '12/345/67890', '12/345/67890', '12/345/678'],
];

describe('parseTaxId', () => {
  for (const [country, typed, stored, invalid] of EXAMPLES) {
    it(`accepts ${typed} and refuses ${invalid} for ${country}`, () => {
      const parsed = parseTaxId(typed, {country});
      assert.ok(!('problem' in parsed), `${typed} should be valid`);
      assert.equal(parsed.value, stored);
      assert.equal(parsed.country, country);
      assert.deepEqual(parseTaxId(invalid, {country}), {
        problem: {code: 'tax_id', params: {example: taxIdExample(country)}},
      });
    });
  }

  it('infers the type: eu_vat, gb_vat, ch_vat, no_vat, and de_stn for a German Steuernummer', () => {
    const type = (value: string, country: string) =>
      (parseTaxId(value, {country}) as {type: string}).type;
    assert.equal(type('DE123456789', 'DE'), 'eu_vat');
    assert.equal(type('GB123456789', 'GB'), 'gb_vat');
    assert.equal(type('CHE-123.456.789 TVA', 'CH'), 'ch_vat');
    assert.equal(type('123456789MVA', 'NO'), 'no_vat');
    assert.equal(type('1234567890', 'DE'), 'de_stn');
  });

  it('reads what people type: spaces, dots, lower case, and the prefix left out for the billing country', () => {
    assert.deepEqual(parseTaxId('de 123.456.789', {country: 'DE'}), {
      type: 'eu_vat',
      country: 'DE',
      value: 'DE123456789',
    });
    assert.equal((parseTaxId('12345678', {country: 'AT'}) as {value: string}).value, 'ATU12345678');
    assert.equal(
      (parseTaxId('che123456789mwst', {country: 'CH'}) as {value: string}).value,
      'CHE-123.456.789 MWST',
    );
  });

  it('accepts a VAT number of another EU country than the billing address when it has its prefix', () => {
    assert.equal((parseTaxId('ATU12345678', {country: 'DE'}) as {country: string}).country, 'AT');
  });

  it('refuses a Steuernummer outside Germany and a value that does not fit an explicit type', () => {
    assert.deepEqual(parseTaxId('1234567890', {country: 'AT'}), {
      problem: {code: 'tax_id', params: {example: 'ATU12345678'}},
    });
    assert.deepEqual(parseTaxId('DE123456789', {country: 'DE', type: 'de_stn'}), {
      problem: {code: 'tax_id_wrong_type'},
    });
    assert.deepEqual(parseTaxId('123', {country: 'US'}), {
      problem: {code: 'tax_id', params: {example: null}},
    });
  });

  it('knows every ISO 3166-1 alpha-2 country and gives examples for hints', () => {
    assert.equal(COUNTRY_CODES.length, 249);
    assert.equal(taxIdExample('GR'), 'EL123456789');
    assert.equal(taxIdExample('US'), null);
  });
});
