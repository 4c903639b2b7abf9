/**
 * E-invoices from the mapped input, with `@e-invoice-eu/core` (EN 16931: CII, Factur-X).
 *
 * The fast path of `toolchain.md`: `InvoiceService.generate` compiles the library's JSON schema
 * on every call (~175 ms); here each format's schema is compiled once per process, with the
 * options and the per-format patch `generate` uses, and the format service is then called as
 * `generate` calls it (`fillInvoiceDefaults`, then its own `generate`). The output is the same.
 */
import {createRequire} from 'node:module';
import {
  FormatFactoryService,
  invoiceSchema,
  type EInvoiceFormat,
  type Invoice as EInvoiceData,
} from '@e-invoice-eu/core';
import {Ajv2019, type ValidateFunction} from 'ajv/dist/2019.js';
import type {Logger} from '../../logger.js';
import {EInvoiceUnavailable} from './tax-case.js';
import {describeFacturX, rewriteFacturXMetadata} from './pdf-metadata.js';

/** The formats the portal offers (api.md): XRechnung 3 in CII syntax; Factur-X EN 16931. */
export const E_INVOICE_FORMATS = {
  xrechnung: 'XRECHNUNG-CII',
  zugferd: 'Factur-X-EN16931',
} as const;
export type EInvoiceFormatName = keyof typeof E_INVOICE_FORMATS;

const require = createRequire(import.meta.url);
/** The library's version, as the PDF's producer names it. */
export const LIBRARY_VERSION = (require('@e-invoice-eu/core/package.json') as {version: string})
  .version;

interface Compiled {
  service: EInvoiceFormat;
  validate: ValidateFunction<EInvoiceData>;
}

/** One compiled schema and format service per format, for the whole process. */
const compiled = new Map<string, Compiled>();

function compiledFor(format: string, log: Logger): Compiled {
  let entry = compiled.get(format);
  if (!entry) {
    const service = new FormatFactoryService().createFormatService(format, libraryLogger(log));
    const schema = structuredClone(invoiceSchema);
    service.patchSchema(schema);
    const ajv = new Ajv2019({strict: true, allErrors: true, useDefaults: true});
    entry = {service, validate: ajv.compile<EInvoiceData>(schema)};
    compiled.set(format, entry);
  }
  return entry;
}

/** The library logs through `log`/`warn`/`error`; ours takes a message and fields. */
function libraryLogger(log: Logger) {
  return {
    log: (message: string) => log.info('e-invoice library', {message}),
    warn: (message: string) => log.warn('e-invoice library', {message}),
    error: (message: string) => log.error('e-invoice library', {message}),
  };
}

/** The input checked against the library's schema (and its defaults filled in), as a copy. */
function checked(
  format: string,
  data: EInvoiceData,
  log: Logger,
): {input: EInvoiceData; service: EInvoiceFormat} {
  const {service, validate} = compiledFor(format, log);
  const input = structuredClone(data);
  if (!validate(input)) {
    const problems = (validate.errors ?? [])
      .slice(0, 5)
      .map((error) => `${error.instancePath} ${error.message ?? ''}`.trim());
    log.error('e-invoice input rejected by the library schema', {format, problems});
    throw new EInvoiceUnavailable(`The invoice does not map to ${format}: ${problems.join('; ')}`);
  }
  service.fillInvoiceDefaults(input);
  return {input, service};
}

/** XRechnung 3 (CII) for the mapped invoice: the same input gives the same bytes. */
export async function generateXRechnung(data: EInvoiceData, log: Logger): Promise<string> {
  const format = E_INVOICE_FORMATS.xrechnung;
  const {input, service} = checked(format, data, log);
  const xml = await service.generate(input, {format, lang: 'de-de'});
  if (typeof xml !== 'string') throw new Error(`${format} did not give XML`);
  return xml;
}

/**
 * ZUGFeRD / Factur-X EN 16931: `pdf` (Stripe's own invoice PDF) with the CII embedded as
 * `factur-x.xml`, its XMP and information dictionary written to agree (`pdf-metadata.ts`).
 */
export async function generateZugferd(
  data: EInvoiceData,
  pdf: Uint8Array,
  log: Logger,
): Promise<Uint8Array> {
  const format = E_INVOICE_FORMATS.zugferd;
  const {input, service} = checked(format, data, log);
  const bytes = await service.generate(input, {
    format,
    lang: 'de-de',
    pdf: {buffer: pdf, filename: 'rechnung.pdf', mimetype: 'application/pdf'},
  });
  if (typeof bytes === 'string') throw new Error(`${format} did not give a PDF`);
  return rewriteFacturXMetadata(bytes, describeFacturX(data, LIBRARY_VERSION));
}
