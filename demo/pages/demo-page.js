// ?lang=en shows the portal in English; the page itself stays German.
const lang = new URLSearchParams(location.search).get('lang');
for (const portal of document.querySelectorAll('conroo-billing-portal')) {
  if (lang) portal.lang = lang;
}
// The one line a CONROO page needs to open the portal from its yellow support button.
document
  .querySelector('.support-button')
  .addEventListener('click', () =>
    document.querySelector('conroo-billing-portal[mode="dialog"]').show(),
  );
