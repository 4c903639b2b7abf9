/**
 * The ZUGFeRD PDF's metadata, written once and the same in both places PDF/A reads it: the
 * information dictionary and the XMP packet. `@e-invoice-eu/core` 2.3.4 writes them apart (its
 * title, producer and creator differ between the two, the XMP lacks the keywords, and its XMP
 * times carry the server's local offset on a UTC time), and stamps both with the time of the
 * call. Here every date is the invoice's issue time, so one invoice always gives the same bytes.
 */
import type {Invoice as EInvoiceData} from '@e-invoice-eu/core';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
} from '@cantoo/pdf-lib';

/** What the PDF says about itself. */
export interface PdfDescription {
  title: string;
  author: string;
  subject: string;
  /** Joined by spaces in both places, as pdf-lib writes Info `/Keywords`. */
  keywords: string[];
  /** The application that made the document (Info `/Creator`, `xmp:CreatorTool`). */
  creator: string;
  /** What wrote the PDF (Info `/Producer`, `pdf:Producer`). */
  producer: string;
  /** Creation and modification, whole seconds. */
  date: Date;
  /** The Factur-X attachment and profile (XMP `fx:` properties). */
  attachment: string;
  conformanceLevel: string;
  version: string;
}

export const CREATOR = 'CONROO Kundenportal';

/** The description of the Factur-X EN 16931 PDF of `data`, issued at its issue date's noon. */
export function describeFacturX(data: EInvoiceData, libraryVersion: string): PdfDescription {
  const invoice = data['ubl:Invoice'];
  const number = invoice['cbc:ID'];
  const seller =
    invoice['cac:AccountingSupplierParty']['cac:Party']['cac:PartyLegalEntity'][
      'cbc:RegistrationName'
    ];
  const issued = invoice['cbc:IssueDate'];
  return {
    title: `Rechnung ${number}`,
    author: seller,
    subject: `Rechnung ${number} vom ${issued} von ${seller}, mit E-Rechnung (ZUGFeRD/Factur-X EN 16931)`,
    keywords: ['Rechnung', 'E-Rechnung', 'ZUGFeRD', 'Factur-X'],
    creator: CREATOR,
    producer: `@e-invoice-eu/core ${libraryVersion} (pdf-lib)`,
    // A day has no time: noon UTC is the same date in Germany and everywhere near it.
    date: new Date(`${issued}T12:00:00Z`),
    attachment: 'factur-x.xml',
    conformanceLevel: 'EN 16931',
    version: '1.0',
  };
}

const xmlText = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `2026-03-01T12:00:00Z`: the XMP form of the Info dictionary's `D:20260301120000Z`. */
const xmpDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The XMP packet: PDF/A-3B identification, Dublin Core, PDF and XMP basics, Factur-X. */
export function xmpPacket(d: PdfDescription): string {
  const date = xmpDate(d.date);
  const property = (name: string, type: string, description: string) =>
    `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name>` +
    `<pdfaProperty:valueType>${type}</pdfaProperty:valueType>` +
    `<pdfaProperty:category>external</pdfaProperty:category>` +
    `<pdfaProperty:description>${description}</pdfaProperty:description></rdf:li>`;
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">' +
      '<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
      '<dc:format>application/pdf</dc:format>' +
      `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(d.title)}</rdf:li></rdf:Alt></dc:title>` +
      `<dc:creator><rdf:Seq><rdf:li>${xmlText(d.author)}</rdf:li></rdf:Seq></dc:creator>` +
      `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(d.subject)}</rdf:li></rdf:Alt></dc:description>` +
      '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">' +
      `<pdf:Producer>${xmlText(d.producer)}</pdf:Producer>` +
      `<pdf:Keywords>${xmlText(d.keywords.join(' '))}</pdf:Keywords></rdf:Description>`,
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">' +
      `<xmp:CreatorTool>${xmlText(d.creator)}</xmp:CreatorTool>` +
      `<xmp:CreateDate>${date}</xmp:CreateDate><xmp:ModifyDate>${date}</xmp:ModifyDate>` +
      `<xmp:MetadataDate>${date}</xmp:MetadataDate></rdf:Description>`,
    '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"' +
      ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"' +
      ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">' +
      '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">' +
      '<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>' +
      '<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>' +
      '<pdfaSchema:prefix>fx</pdfaSchema:prefix>' +
      '<pdfaSchema:property><rdf:Seq>' +
      property('DocumentFileName', 'Text', 'The name of the embedded XML document') +
      property(
        'DocumentType',
        'Text',
        'The type of the hybrid document in capital letters, e.g. INVOICE or ORDER',
      ) +
      property(
        'Version',
        'Text',
        'The actual version of the standard applying to the embedded XML document',
      ) +
      property('ConformanceLevel', 'Text', 'The conformance level of the embedded XML document') +
      '</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">' +
      '<fx:DocumentType>INVOICE</fx:DocumentType>' +
      `<fx:DocumentFileName>${xmlText(d.attachment)}</fx:DocumentFileName>` +
      `<fx:Version>${xmlText(d.version)}</fx:Version>` +
      `<fx:ConformanceLevel>${xmlText(d.conformanceLevel)}</fx:ConformanceLevel></rdf:Description>`,
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

/**
 * `pdf` (the library's Factur-X) with its information dictionary and XMP replaced by `d`, and the
 * embedded files dated `d.date` instead of the moment of the call.
 */
export async function rewriteFacturXMetadata(
  pdf: Uint8Array,
  d: PdfDescription,
): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, {updateMetadata: false});
  doc.setTitle(d.title);
  doc.setAuthor(d.author);
  doc.setSubject(d.subject);
  doc.setKeywords(d.keywords);
  doc.setCreator(d.creator);
  doc.setProducer(d.producer);
  doc.setCreationDate(d.date);
  doc.setModificationDate(d.date);

  // The library's own XMP (dated the moment of the call) goes, not only its reference: pdf-lib
  // saves every object of the document, so the old packet would stay in the file, unreferenced,
  // and two downloads of one invoice would differ.
  const previous = doc.catalog.get(PDFName.of('Metadata'));
  if (previous instanceof PDFRef) doc.context.delete(previous);
  const xmp = new TextEncoder().encode(xmpPacket(d));
  const metadata = doc.context.stream(xmp, {Type: 'Metadata', Subtype: 'XML', Length: xmp.length});
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(metadata));

  const date = PDFString.fromDate(d.date);
  const files = doc.catalog.lookupMaybe(PDFName.of('AF'), PDFArray);
  for (let i = 0; i < (files?.size() ?? 0); i++) {
    const spec = files?.lookupMaybe(i, PDFDict);
    const stream = spec?.lookupMaybe(PDFName.of('EF'), PDFDict)?.lookup(PDFName.of('F'));
    const params =
      stream instanceof PDFRawStream
        ? stream.dict.lookupMaybe(PDFName.of('Params'), PDFDict)
        : undefined;
    params?.set(PDFName.of('CreationDate'), date);
    params?.set(PDFName.of('ModDate'), date);
  }
  return doc.save();
}
