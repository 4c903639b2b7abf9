import {expect} from '@open-wc/testing';
import {
  invoicePreview,
  serverProblems,
  toRequest,
  valuesFromCustomer,
} from '../../widget/billing-details/billing-details-model.js';
import {validate} from '../../widget/billing-details/billing-details-checks.js';
import {customers} from './support/portal-fixtures.js';

describe('billing details, without the DOM', () => {
  it('takes the code and params of every field of the server’s 422, never its message', () => {
    const {problems, unknown} = serverProblems({
      name: {code: 'required', message: 'required'},
      phone: {code: 'phone', message: 'digits, spaces and + ( ) / - only'},
      'address.postalCode': {code: 'postal_code', params: {country: 'AT'}, message: 'x'},
      'address.state': {code: 'region', params: {country: 'US'}, message: 'x'},
      'address.country': {code: 'country', message: 'x'},
      'shipping.address.line1': {code: 'too_long', params: {max: 200}, message: 'x'},
      'taxId.type': {code: 'tax_id_wrong_type', message: 'x'},
      '(body)': {code: 'invalid', message: 'Expected object'},
      'address.foo': {code: 'unknown_field', message: 'unknown field'},
    });
    expect(problems).to.deep.equal({
      name: {code: 'required'},
      phone: {code: 'phone'},
      'address.postalCode': {code: 'postal_code', params: {country: 'AT'}},
      'address.state': {code: 'region', params: {country: 'US'}},
      'address.country': {code: 'country'},
      'shipping.address.line1': {code: 'too_long', params: {max: 200}},
      'taxId.value': {code: 'tax_id_wrong_type'},
    });
    expect(unknown).to.deep.equal(['(body)', 'address.foo']);
  });

  it('reads a code it does not know as rejected', () => {
    const fields = {
      'address.city': {code: 'postal_district', params: {x: 1}, message: 'new in v2'},
    } as unknown as Parameters<typeof serverProblems>[0];
    expect(serverProblems(fields).problems).to.deep.equal({'address.city': {code: 'rejected'}});
  });

  it('leaves out the shipping block’s checks while it is the billing address', () => {
    const values = valuesFromCustomer(customers.cus_paypal.account.customer);
    expect(values.shippingSameAsBilling).to.equal(true);
    expect(validate(values)).to.deep.equal({});
    expect(validate({...values, shippingSameAsBilling: false})).to.have.keys(
      'shipping.name',
      'shipping.address.line1',
      'shipping.address.postalCode',
      'shipping.address.city',
    );
  });

  it('drops a region the country does not need from the request and the preview', () => {
    const values = valuesFromCustomer(customers.cus_fahrer.account.customer);
    const withState = {...values, address: {...values.address, state: 'Hamburg'}};
    expect(toRequest(withState).address.state).to.equal(null);
    expect(invoicePreview(withState).lines.filter((line) => line === 'Hamburg')).to.have.length(0);
  });
});
