// The CSS parts a page styles with `conroo-billing-portal::part(…)`. Every shadow root between
// a part and the portal's host passes it up with `exportparts`; these lists are what each
// level of the dashboard passes (the login views' list is in the portal's own module, so that
// these stay in the dashboard's chunk). A part name means the same piece wherever it is.

/** The billing form's parts, passed up by „Rechnung und Versand". */
export const billingFormParts = 'form, preview, submit, cancel';

/** What every dashboard section passes up (its own parts and those of the views inside it). */
export const sectionParts = [
  'card',
  'notice',
  'error',
  'loading',
  'empty',
  'retry-button',
  'form',
  'form-error',
  'submit',
  'cancel',
  'preview',
  'open-invoice-banner',
  'past-due-banner',
  'pay-link',
  'list',
  'item',
  'add-button',
  'add-form',
  'edit-button',
  'edit-form',
  'draft-notice',
  'table',
  'pdf-link',
  'download-error',
  'load-more',
  'export',
  'export-year',
  'export-link',
  'input',
  'search',
  'filter-chip',
  'bulk-results',
  'next-driver',
].join(', ');

/** What `<conroo-dashboard>` passes up (it sets this on itself): its own parts and its sections'. */
export const dashboardParts = `sidebar, nav, account-select, logout-button, content, back-to-fleet, ${sectionParts}`;
