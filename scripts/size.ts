/**
 * `npm run size`: what the element costs a page. Builds the library twice (minified into
 * `dist/`, as shipped, and unminified into a temporary directory, for the raw column), then
 * prints every emitted JS file with its raw, minified and gzip size (node:zlib, level 9) and
 * what loads it: the entry (the page's one script tag), a chunk the entry imports statically
 * (also loaded before the login form), or a lazy chunk (a dynamic `import()`, on demand).
 *
 * Budgets, minified and gzipped (exits 1 over either, so `npm test` fails):
 * - before first use: the loader (the entry, the page's one script tag, and whatever it imports
 *   statically), what every page with the yellow button pays: at most 3 kB (3072 bytes);
 * - first use, the login form: that plus the element (`widget/index.ts`, the loader's one
 *   dynamic import) and everything it imports statically: at most 24 kB (24576 bytes).
 *
 * `--no-build` reads `dist/` as it is (the raw column then shows "–").
 */
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {build, type Rolldown} from 'vite';

const LOADER_BUDGET_BYTES = 3 * 1024;
const FIRST_USE_BUDGET_BYTES = 24 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const configFile = join(root, 'vite.config.ts');

type Chunk = Rolldown.OutputChunk;

/** Builds with the project's config; `minify: false` for the raw sizes. */
async function buildChunks(outDir: string, minify: boolean): Promise<Chunk[]> {
  const result = await build({
    configFile,
    logLevel: 'warn',
    build: {outDir, emptyOutDir: true, rolldownOptions: {output: {minify}}},
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  return outputs.flatMap((output) =>
    output.output.filter((item): item is Chunk => item.type === 'chunk'),
  );
}

/** A chunk's identity across the two builds (file names carry content hashes). */
const chunkKey = (chunk: Pick<Chunk, 'facadeModuleId' | 'moduleIds' | 'name'>) =>
  chunk.facadeModuleId ?? `${chunk.name}:${[...chunk.moduleIds].sort().join(',')}`;

async function jsFiles(dir: string, under = dir): Promise<string[]> {
  const entries = await readdir(under, {withFileTypes: true});
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(under, entry.name);
      if (entry.isDirectory()) return jsFiles(dir, path);
      return Promise.resolve(entry.name.endsWith('.js') ? [relative(dir, path)] : []);
    }),
  );
  return nested.flat().sort();
}

/**
 * The files a built module imports statically (`import…from"./x.js"`, `import"./x.js"`,
 * `export…from"./x.js"`; not `import(…)`), relative to `dist/`: for `--no-build`.
 */
function staticImports(file: string, code: string): string[] {
  const pattern =
    /\b(?:import|export)\s*(?:\{[^}]*\}|\*\s*as\s*[\w$]+|[\w$]+)?\s*(?:from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
  return [...code.matchAll(pattern)].map((match) =>
    relative(dist, join(dist, dirname(file), match[1])),
  );
}

/** The files a built module imports with `import("./x.js")`, relative to `dist/`. */
function dynamicImports(file: string, code: string): string[] {
  return [...code.matchAll(/\bimport\(\s*[`"'](\.{1,2}\/[^`"']+)[`"']\s*\)/g)].map((match) =>
    relative(dist, join(dist, dirname(file), match[1])),
  );
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(2)} kB`;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map((row, r) => {
      const line = row
        .map((cell, i) =>
          i === 0 || i === row.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]),
        )
        .join('  ');
      return r === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

async function main() {
  const noBuild = process.argv.includes('--no-build');
  let minified: Chunk[] = [];
  const rawByKey = new Map<string, number>();
  if (!noBuild) {
    const temp = await mkdtemp(join(tmpdir(), 'conroo-size-'));
    try {
      for (const chunk of await buildChunks(temp, false)) {
        rawByKey.set(chunkKey(chunk), Buffer.byteLength(chunk.code));
      }
    } finally {
      await rm(temp, {recursive: true, force: true});
    }
    minified = await buildChunks(dist, true);
  }

  const files = await jsFiles(dist);
  if (!files.length) {
    console.error('dist/ holds no JS: run `npm run build` first or drop --no-build.');
    process.exit(1);
  }
  const chunkByFile = new Map(minified.map((chunk) => [chunk.fileName, chunk]));
  const entryFile = minified.find((chunk) => chunk.isEntry)?.fileName ?? 'conroo-billing-portal.js';

  /** `files` and everything they import statically, transitively. */
  const closure = async (files: string[]) => {
    const found = new Set<string>(files);
    for (const file of found) {
      const chunk = chunkByFile.get(file);
      const imports = chunk
        ? chunk.imports
        : staticImports(file, await readFile(join(dist, file), 'utf8'));
      for (const imported of imports) found.add(imported);
    }
    return found;
  };
  // What the entry pulls in statically loads on every page, before the portal is used.
  const initial = await closure([entryFile]);
  // The element, which the loader imports on first use, and what it pulls in statically.
  const elementFile =
    minified.find((chunk) => chunk.moduleIds.includes(join(root, 'widget/index.ts')))?.fileName ??
    dynamicImports(entryFile, await readFile(join(dist, entryFile), 'utf8')).find((file) =>
      file.startsWith('chunks/portal-'),
    );
  const firstUse = await closure([...initial, ...(elementFile ? [elementFile] : [])]);

  const rows = [['file', 'raw', 'minified', 'gzip', 'loads']];
  let initialGzip = 0;
  let firstUseGzip = 0;
  let total = 0;
  for (const file of files) {
    const code = await readFile(join(dist, file));
    const gzip = gzipSync(code, {level: 9}).length;
    const chunk = chunkByFile.get(file);
    const raw = chunk ? rawByKey.get(chunkKey(chunk)) : undefined;
    const loads =
      file === entryFile
        ? 'ENTRY (the script tag)'
        : initial.has(file)
          ? 'initial (static import of the entry)'
          : file === elementFile
            ? 'first use: the element (import() of the loader)'
            : firstUse.has(file)
              ? 'first use (static import of the element)'
              : !chunk
                ? 'lazy'
                : chunk.isDynamicEntry
                  ? `lazy: ${chunk.facadeModuleId ? relative(root, chunk.facadeModuleId) : chunk.name}`
                  : 'lazy (shared by lazy chunks)';
    if (initial.has(file)) initialGzip += gzip;
    if (firstUse.has(file)) firstUseGzip += gzip;
    total += gzip;
    rows.push([file, raw === undefined ? '–' : kB(raw), kB(code.length), kB(gzip), loads]);
  }
  console.log(table(rows));
  console.log(`\nall JS, gzip: ${kB(total)} in ${files.length} files`);
  const verdict = (gzip: number, budget: number) =>
    `${gzip} bytes (${kB(gzip)}) – budget ${budget} bytes (${kB(budget)}): ` +
    `${gzip > budget ? 'OVER BUDGET' : 'ok'}`;
  console.log(
    `before first use (the loader${initial.size > 1 ? ` + ${initial.size - 1} static chunk(s)` : ''}), gzip: ` +
      verdict(initialGzip, LOADER_BUDGET_BYTES),
  );
  console.log(
    `first use, the login form (${firstUse.size} files), gzip: ` +
      verdict(firstUseGzip, FIRST_USE_BUDGET_BYTES),
  );
  const over = initialGzip > LOADER_BUDGET_BYTES || firstUseGzip > FIRST_USE_BUDGET_BYTES;
  process.exit(over ? 1 : 0);
}

await main();
