import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {z} from 'zod';
import {FIELD_ERROR_CODES, type FieldError, type FieldProblem} from '../../common/contract.js';
import {ApiError} from '../../server/errors.js';
import {parse} from '../../server/http/validate.js';
import {validateBillingDetails} from '../../server/services/billing-details.js';

const valid = {
  name: 'Spedition Nordlicht GmbH',
  phone: null,
  address: {line1: 'Am Kaiserkai 10', postalCode: '20457', city: 'Hamburg', country: 'DE'},
  shipping: null,
  taxId: null,
};

/** The field errors a refused body gets: code and params by path (the messages set aside). */
function problemsOf(run: () => unknown): Record<string, FieldProblem> {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ApiError, String(error));
    const fields = error.extra.fields ?? {};
    return Object.fromEntries(
      Object.entries(fields).map(([path, {message, ...problem}]: [string, FieldError]) => {
        assert.equal(typeof message, 'string', `${path} has a message for developers`);
        return [path, problem];
      }),
    );
  }
  assert.fail('the body was accepted');
}

describe('field errors as codes', () => {
  it('says required for a key left out, null or blank, and invalid for the wrong type', () => {
    const {name: _left, ...withoutName} = valid;
    assert.deepEqual(
      problemsOf(() => validateBillingDetails(withoutName)),
      {
        name: {code: 'required'},
      },
    );
    assert.deepEqual(
      problemsOf(() => validateBillingDetails({...valid, name: null})),
      {
        name: {code: 'required'},
      },
    );
    assert.deepEqual(
      problemsOf(() =>
        validateBillingDetails({...valid, name: 42, address: {...valid.address, city: ' '}}),
      ),
      {name: {code: 'invalid'}, 'address.city': {code: 'required'}},
    );
  });

  it('gives the limit with too_long and the country with postal_code and region', () => {
    assert.deepEqual(
      problemsOf(() =>
        validateBillingDetails({
          ...valid,
          phone: '1'.repeat(21),
          address: {...valid.address, postalCode: '1234', line2: 'x'.repeat(201)},
          shipping: {
            name: 'Lager',
            address: {line1: 'Weg 1', postalCode: 'K1A 0B1', city: 'Ottawa', country: 'CA'},
          },
        }),
      ),
      {
        phone: {code: 'too_long', params: {max: 20}},
        'address.line2': {code: 'too_long', params: {max: 200}},
        'address.postalCode': {code: 'postal_code', params: {country: 'DE'}},
        'shipping.address.state': {code: 'region', params: {country: 'CA'}},
      },
    );
  });

  it('names control characters, and a tax ID of another type than the one sent', () => {
    assert.deepEqual(
      problemsOf(() => validateBillingDetails({...valid, name: 'Nord\u0007GmbH'})),
      {
        name: {code: 'control_characters'},
      },
    );
    assert.deepEqual(
      problemsOf(() =>
        validateBillingDetails({...valid, taxId: {type: 'de_stn', value: 'DE123456789'}}),
      ),
      {'taxId.value': {code: 'tax_id_wrong_type'}},
    );
  });

  it('gives Stripe’s example for the billing country with tax_id, null where it has none', () => {
    assert.deepEqual(
      problemsOf(() => validateBillingDetails({...valid, taxId: {value: 'ATU1'}})),
      {'taxId.value': {code: 'tax_id', params: {example: 'DE123456789'}}},
    );
    assert.deepEqual(
      problemsOf(() =>
        validateBillingDetails({
          ...valid,
          address: {...valid.address, country: 'JP', postalCode: '100-0001'},
          taxId: {value: '12345'},
        }),
      ),
      {'taxId.value': {code: 'tax_id', params: {example: null}}},
    );
  });

  it('answers every request the API does not know with the same codes (400 invalid_request)', () => {
    const Switch = z.strictObject({customerId: z.string().min(1)});
    assert.deepEqual(
      problemsOf(() => parse(Switch, {customerId: 7, customer: 'cus_1'})),
      {customerId: {code: 'invalid'}, customer: {code: 'unknown_field'}},
    );
    assert.deepEqual(
      problemsOf(() => parse(Switch, [])),
      {'(body)': {code: 'invalid'}},
    );
  });

  it('uses only codes of the contract', () => {
    const problems = problemsOf(() =>
      validateBillingDetails({...valid, extra: 1, name: '', address: {country: 'XX'}}),
    );
    for (const [path, {code}] of Object.entries(problems)) {
      assert.ok(FIELD_ERROR_CODES.includes(code), `${path}: ${code}`);
    }
  });
});
