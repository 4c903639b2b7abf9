import {expect} from '@open-wc/testing';
import {
  invoicePreview,
  serverProblems,
  toRequest,
  validate,
  valuesFromCustomer,
} from '../../widget/billing-details/billing-details-model.js';
import {customers} from './support/portal-fixtures.js';

describe('billing details, without the DOM', () => {
  it('reads every message of the server’s 422 as a kind of problem at its field', () => {
    const {problems, unknown} = serverProblems({
      name: 'required',
      phone: 'digits, spaces and + ( ) / - only',
      'address.postalCode': 'not a postal code of AT',
      'address.state': 'required for US',
      'address.country': 'not an ISO 3166-1 alpha-2 country',
      'shipping.address.line1': 'at most 200 characters',
      'taxId.value': 'not a tax ID Stripe accepts (e.g. EL123456789)',
      'taxId.type': 'not a de_stn number',
      '(body)': 'Expected object',
      'address.foo': 'unknown field',
    });
    expect(problems).to.deep.equal({
      name: {kind: 'required'},
      phone: {kind: 'phone'},
      'address.postalCode': {kind: 'postal_code', country: 'AT'},
      'address.state': {kind: 'region', country: 'US'},
      'address.country': {kind: 'country'},
      'shipping.address.line1': {kind: 'too_long', max: 200},
      'taxId.value': {kind: 'tax_id_wrong_type'},
    });
    expect(unknown).to.deep.equal(['(body)', 'address.foo']);
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
