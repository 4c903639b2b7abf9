import type Stripe from 'stripe';
import {inOrderAhead, Slots} from './concurrency.js';
import type {FleetMember} from './fleet-access.js';
import {fleetInvoicesCsv} from './invoice-csv.js';
import {
  invoicePdfName,
  yearCsvName,
  type Download,
  xmlEntries,
  type InvoiceDocuments,
} from './invoice-documents.js';
import {folderEntry, textEntry, zipStream, type ZipEntry} from './zip-stream.js';

/** A driver of the export with the folder its PDFs go to. */
export interface DriverFolder extends FleetMember {
  folder: string;
}

/**
 * What the ZIP holds, in its order: each driver's folder, then that driver's invoices, each as
 * its PDF and its XRechnung.
 */
type Item =
  | {kind: 'folder'; folder: string}
  | {kind: 'pdf'; folder: string; invoice: Stripe.Invoice}
  | {kind: 'xml'; folder: string; invoice: Stripe.Invoice; xml: Uint8Array};

/** A PDF whose download has begun, holding a slot until its bytes are in the ZIP. */
type OpenedEntry = ZipEntry & {discard(): void};

const FOLDER_NAME_MAX = 60;
// Not in a file name on Windows, macOS or Linux; control and format characters (bidi marks).
const UNSAFE_IN_NAME = /[\p{Cc}\p{Cf}<>:"/\\|?*]+/gu;

/**
 * The folder of each driver: the customer's name, made safe for every file system, and the end
 * of its customer ID (two drivers of one name stay apart), unique also where case does not
 * count; sorted as a German reader looks for names.
 */
export function driverFolders(members: readonly FleetMember[]): DriverFolder[] {
  const collator = new Intl.Collator('de', {numeric: true});
  const folders = members
    .map((member) => ({...member, folder: `${safeName(member.name)} (${idSuffix(member)})`}))
    .sort((a, b) => collator.compare(a.folder, b.folder));
  const taken = new Set<string>();
  for (const driver of folders) {
    let folder = driver.folder;
    for (let n = 2; taken.has(folder.toLowerCase()); n++) folder = `${driver.folder} ${n}`;
    taken.add(folder.toLowerCase());
    driver.folder = folder;
  }
  return folders;
}

function safeName(name: string | null): string {
  const cleaned = (name ?? '').normalize('NFC').replace(UNSAFE_IN_NAME, ' ').replace(/\s+/g, ' ');
  // By code points, so that a character beyond the BMP is never cut in half.
  return Array.from(cleaned.trim()).slice(0, FOLDER_NAME_MAX).join('').trim() || 'Ohne Namen';
}

const idSuffix = ({customerId}: FleetMember) =>
  customerId
    .replace(/^cus_/, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-6);

/**
 * The fleet's invoices of a year as one ZIP, streamed: a folder per driver with that year's
 * PDFs and their XRechnung XMLs, and `Rechnungen-<year>.csv` at the root, with the driver (its folder) as the first
 * column. Stripe is asked in the ZIP's order — a driver's invoice list, then its PDFs — at most
 * `concurrency` requests at a time, fetched ahead of the ZIP so that Stripe's latency overlaps;
 * nothing is held whole. The first driver's list is read before the first byte (a failing
 * Stripe is a clean `503`); a failure after that cuts the download off, never leaving a ZIP
 * that passes for complete.
 */
export class FleetInvoiceExport {
  constructor(
    private readonly documents: InvoiceDocuments,
    private readonly options: {concurrency: number; now: () => number},
  ) {}

  /**
   * `holds` is asked again for each driver as its turn comes: an access that ended while the
   * ZIP streams leaves that driver's folder empty (security.md: an ended access stops at once).
   */
  yearExport(
    members: readonly FleetMember[],
    year: number,
    holds: (customerId: string) => Promise<boolean>,
    signal?: AbortSignal,
  ): Download {
    const {concurrency, now} = this.options;
    const drivers = driverFolders(members);
    // One pool for the lists and the PDFs: the ceiling holds for the request as a whole.
    const slots = new Slots(concurrency);
    const listed: Array<{driver: string; invoices: Stripe.Invoice[]}> = [];
    const listings = inOrderAhead(drivers, concurrency, async (driver) => {
      if (!(await holds(driver.customerId))) return {driver, invoices: [], xmls: []};
      const invoices = await slots.run(() => this.documents.yearInvoices(driver.customerId, year));
      return {driver, invoices, xmls: await this.documents.xrechnungsOf(invoices, slots)};
    });
    async function* items(): AsyncGenerator<Item> {
      for await (const {driver, invoices, xmls} of listings) {
        listed.push({driver: driver.folder, invoices});
        yield {kind: 'folder', folder: driver.folder};
        for (const [i, invoice] of invoices.entries()) {
          if (invoice.invoice_pdf) yield {kind: 'pdf', folder: driver.folder, invoice};
          const xml = xmls[i];
          if (xml) yield {kind: 'xml', folder: driver.folder, invoice, xml};
        }
      }
    }
    const opened = inOrderAhead(
      items(),
      // Twice as far: folders take places in the line too, and the slots bound the requests.
      2 * concurrency,
      (item): Promise<OpenedEntry> =>
        item.kind === 'folder'
          ? Promise.resolve({...folderEntry(item.folder, new Date(now() * 1000)), discard() {}})
          : item.kind === 'xml'
            ? Promise.resolve({
                ...xmlEntries(item.invoice, item.xml, `${item.folder}/`)[0],
                discard() {},
              })
            : this.#openPdf(item.folder, item.invoice, slots, signal),
      (entry) => entry.discard(),
    );
    async function* entries(): AsyncGenerator<ZipEntry> {
      yield* opened;
      yield textEntry(yearCsvName(year), new Date(now() * 1000), () =>
        fleetInvoicesCsv(listed, now()),
      );
    }
    return {
      filename: `CONROO-Rechnungen-Flotte-${year}.zip`,
      contentType: 'application/zip',
      body: zipStream(entries()),
    };
  }

  /** Takes a slot, starts the PDF's download, and gives the slot back once it is read or dropped. */
  async #openPdf(
    folder: string,
    invoice: Stripe.Invoice,
    slots: Slots,
    signal?: AbortSignal,
  ): Promise<OpenedEntry> {
    const release = await slots.take();
    const dropped = new AbortController();
    try {
      const body = await this.documents.openPdf(
        invoice,
        signal ? AbortSignal.any([signal, dropped.signal]) : dropped.signal,
      );
      return {
        name: `${folder}/${invoicePdfName(invoice)}`,
        mtime: new Date(invoice.created * 1000),
        open: async () => releasing(body, release),
        discard() {
          dropped.abort();
          release();
        },
      };
    } catch (error) {
      release();
      throw error;
    }
  }
}

async function* releasing(
  chunks: AsyncIterable<Uint8Array>,
  release: () => void,
): AsyncGenerator<Uint8Array> {
  try {
    yield* chunks;
  } finally {
    release();
  }
}
