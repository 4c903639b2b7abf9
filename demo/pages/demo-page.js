// ?lang=en shows the portal in English; the page itself stays German.
const lang = new URLSearchParams(location.search).get('lang');
for (const portal of document.querySelectorAll('conroo-billing-portal')) {
  if (lang) portal.lang = lang;
}
// The one line a CONROO page needs to open the portal from its yellow support button.
document
  .querySelector('.support-button')
  ?.addEventListener('click', () =>
    document.querySelector('conroo-billing-portal[mode="dialog"]').show(),
  );

// Demo only: POST /dev/renew starts the next billing period of an address (like a test clock).
const renewForm = document.querySelector('[data-renew-form]');
renewForm?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = renewForm.querySelector('[data-renew-result]');
  const email = new FormData(renewForm).get('email');
  result.textContent = 'Wird verlängert …';
  try {
    const answer = await fetch('/dev/renew', {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({email}),
    });
    const {invoices = []} = await answer.json();
    result.textContent = invoices.length
      ? invoices
          .map(
            (i) =>
              `Rechnung ${i.number} an „${i.customerName}": ${i.status === 'paid' ? 'bezahlt' : 'offen'}`,
          )
          .join(' · ')
      : 'Für diese Adresse gibt es keinen laufenden Gate Pass.';
  } catch {
    result.textContent = 'Das hat nicht geklappt.';
  }
});
