import {expect} from '@open-wc/testing';
import {http, HttpResponse} from 'msw';
import {ApiError, filenameOf, PortalApiClient} from '../../widget/api/portal-api-client.js';
import {apiError, resetMockApi, signInAs, startMockApi, worker} from './support/portal-api-mock.js';

describe('PortalApiClient', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  it('turns an error body into an ApiError with its code and Retry-After', async () => {
    worker.use(
      http.post('*/api/auth/email-link', () =>
        apiError(429, 'rate_limited', {'Retry-After': '90'}),
      ),
    );
    const client = new PortalApiClient({baseUrl: ''});
    const error = await client.requestEmailLink('a@example.com', 'de').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect((error as ApiError).status).to.equal(429);
    expect((error as ApiError).code).to.equal('rate_limited');
    expect((error as ApiError).retryAfter).to.equal(90);
  });

  it('reports a failed connection as network_error', async () => {
    worker.use(http.get('*/api/session', () => HttpResponse.error()));
    const client = new PortalApiClient({baseUrl: ''});
    const error = (await client.getSession().catch((e: unknown) => e)) as ApiError;
    expect(error.code).to.equal('network_error');
  });

  it('tells about an ended session only for calls that need one', async () => {
    let expired = 0;
    const client = new PortalApiClient({baseUrl: '', onSessionExpired: () => expired++});
    await client.getSession().catch(() => {});
    expect(expired).to.equal(0);
    await client.getAccount().catch(() => {});
    expect(expired).to.equal(1);
  });

  it('passes the AbortSignal to fetch', async () => {
    signInAs('fahrer@example.com');
    const client = new PortalApiClient({baseUrl: ''});
    const controller = new AbortController();
    const pending = client.getAccount(controller.signal);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).to.equal('AbortError');
  });

  it('builds download URLs on the base and reads the file name the server sends', () => {
    const client = new PortalApiClient({baseUrl: 'https://portal.example.test/'});
    expect(client.invoicePdfUrl('in_1/x')).to.equal(
      'https://portal.example.test/api/invoices/in_1%2Fx/pdf',
    );
    expect(client.invoiceExportUrl(2025)).to.equal(
      'https://portal.example.test/api/invoices/export?year=2025',
    );
    expect(filenameOf('attachment; filename="CONROO-Rechnung-CONROO-2026-0005.pdf"')).to.equal(
      'CONROO-Rechnung-CONROO-2026-0005.pdf',
    );
    expect(filenameOf("attachment; filename*=UTF-8''Rechnung%20%C3%BC.pdf")).to.equal(
      'Rechnung ü.pdf',
    );
    expect(filenameOf('attachment')).to.equal(null);
    expect(filenameOf(null)).to.equal(null);
  });

  it("fails a download with an ApiError and the server's code", async () => {
    signInAs('fahrer@example.com');
    const client = new PortalApiClient({baseUrl: ''});
    const error = await client.downloadFile(client.invoicePdfUrl('in_nope')).catch((e) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect(error.status).to.equal(404);
    expect(error.code).to.equal('not_found');
  });
});
