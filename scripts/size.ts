/**
 * `npm run size`: what the element costs a page. Builds the library twice (minified into
 * `dist/`, as shipped, and unminified into a temporary directory, for the raw column), then
 * prints every emitted JS file with its raw, minified and gzip size (node:zlib, level 9) and
 * what loads it: the entry (the page's one script tag), a chunk the entry imports statically
 * (also loaded before the login form), or a lazy chunk (a dynamic `import()`, on demand).
 *
 * Budget: the initial load (the entry and whatever it imports statically), minified and
 * gzipped, at most 20 kB (20480 bytes). Exits 1 over budget, so `npm test` fails.
 *
 * `--no-build` reads `dist/` as it is (the raw column then shows "–").
 */
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {build, type Rolldown} from 'vite';

const BUDGET_BYTES = 20 * 1024;
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

  // What the entry pulls in statically loads before anything shows.
  const initial = new Set<string>([entryFile]);
  for (const file of initial) {
    const chunk = chunkByFile.get(file);
    const imports = chunk
      ? chunk.imports
      : staticImports(file, await readFile(join(dist, file), 'utf8'));
    for (const imported of imports) initial.add(imported);
  }

  const rows = [['file', 'raw', 'minified', 'gzip', 'loads']];
  let initialGzip = 0;
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
          : !chunk
            ? 'lazy'
            : chunk.isDynamicEntry
              ? `lazy: ${chunk.facadeModuleId ? relative(root, chunk.facadeModuleId) : chunk.name}`
              : 'lazy (shared by lazy chunks)';
    if (initial.has(file)) initialGzip += gzip;
    total += gzip;
    rows.push([file, raw === undefined ? '–' : kB(raw), kB(code.length), kB(gzip), loads]);
  }
  console.log(table(rows));
  console.log(`\nall JS, gzip: ${kB(total)} in ${files.length} files`);
  const over = initialGzip > BUDGET_BYTES;
  console.log(
    `initial load (entry${initial.size > 1 ? ` + ${initial.size - 1} static chunk(s)` : ''}), gzip: ` +
      `${initialGzip} bytes (${kB(initialGzip)}) – budget ${BUDGET_BYTES} bytes (${kB(BUDGET_BYTES)}): ` +
      `${over ? 'OVER BUDGET' : 'ok'}`,
  );
  process.exit(over ? 1 : 0);
}

await main();
