import {Zip, ZipDeflate, ZipPassThrough} from 'fflate';

/** A file of a ZIP written while it is sent; a name ending in `/` is a folder (no bytes). */
export interface ZipEntry {
  name: string;
  mtime: Date;
  /** Opened only when its turn comes (or before, by whoever fetches ahead). */
  open(): Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>>;
}

/** A file of `text` (UTF-8), e.g. a CSV made once everything before it is known. */
export function textEntry(name: string, mtime: Date, text: () => string): ZipEntry {
  return {name, mtime, open: async () => [new TextEncoder().encode(text())]};
}

/** A folder of its own, so that it is there also without files in it. */
export const folderEntry = (name: string, mtime: Date): ZipEntry => ({
  name: `${name}/`,
  mtime,
  open: async () => [],
});

/**
 * A ZIP written with fflate's streaming `Zip` as the entries' bytes arrive, one entry after the
 * other; what it yields is sent on before the next chunk is read (the consumer pulls). Any
 * failure (of an entry, or of the source of entries) ends it with that error and without the
 * central directory, so that the bytes sent can never pass for a complete ZIP.
 */
export async function* zipStream(
  entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>,
): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  function* flush(): Generator<Uint8Array> {
    if (failure) throw failure;
    while (ready.length) yield ready.shift()!;
  }
  try {
    for await (const entry of entries) {
      // Opened before the entry is added: a PDF that cannot be had fails before its header.
      const body = await entry.open();
      const file = entry.name.endsWith('/')
        ? new ZipPassThrough(entry.name)
        : new ZipDeflate(entry.name, {level: 6});
      file.mtime = entry.mtime;
      zip.add(file);
      for await (const chunk of body) {
        file.push(chunk);
        yield* flush();
      }
      file.push(new Uint8Array(0), true);
      yield* flush();
    }
    zip.end();
    yield* flush();
  } catch (error) {
    zip.terminate();
    throw error;
  }
}
