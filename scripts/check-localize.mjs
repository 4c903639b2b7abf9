// Fails (exit 1) when a translation is missing, so that `npm test` catches it:
//  - a trans-unit in xliff/*.xlf without a <target>;
//  - a message in the source that a fresh `lit-localize extract` would add to an xlf file;
//  - generated locale modules that are older than the xlf files (`lit-localize build` not run).
// The fresh extract and build run on a temporary copy; the working tree is never touched.
import {execFileSync} from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const config = JSON.parse(readFileSync(join(root, 'lit-localize.json'), 'utf8'));
const xliffDir = join(root, config.interchange.xliffDir);
const problems = [];

/** The trans-units of an xlf file: id, source text and whether it has a non-empty target. */
function transUnits(file) {
  const xml = readFileSync(file, 'utf8');
  return [...xml.matchAll(/<trans-unit\b[^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/trans-unit>/g)].map(
    ([, id, body]) => ({
      id,
      source: (body.match(/<source>([\s\S]*?)<\/source>/)?.[1] ?? '').trim(),
      translated: /<target(?:\s[^>]*)?>[\s\S]*?\S[\s\S]*?<\/target>/.test(body),
    }),
  );
}

const xlfFiles = readdirSync(xliffDir).filter((name) => name.endsWith('.xlf'));
for (const locale of config.targetLocales) {
  if (!xlfFiles.includes(`${locale}.xlf`)) {
    problems.push(
      `${config.interchange.xliffDir}${locale}.xlf is missing (run npx lit-localize extract)`,
    );
  }
}
const committed = new Map(xlfFiles.map((name) => [name, transUnits(join(xliffDir, name))]));

for (const [name, units] of committed) {
  for (const unit of units.filter((candidate) => !candidate.translated)) {
    problems.push(`${name}: ${unit.id} has no <target>: “${unit.source}”`);
  }
}

const work = mkdtempSync(join(tmpdir(), 'check-localize-'));
try {
  cpSync(xliffDir, join(work, 'xliff'), {recursive: true});
  const tempConfig = {
    ...config,
    inputFiles: config.inputFiles.map((pattern) =>
      pattern.startsWith('!') ? `!${join(root, pattern.slice(1))}` : join(root, pattern),
    ),
    interchange: {...config.interchange, xliffDir: join(work, 'xliff')},
    output: {
      ...config.output,
      outputDir: join(work, 'locales'),
      localeCodesModule: join(work, 'locale-codes.ts'),
    },
  };
  const configFile = join(work, 'lit-localize.json');
  writeFileSync(configFile, JSON.stringify(tempConfig, null, 2));
  const cli = join(root, 'node_modules/@lit/localize-tools/bin/lit-localize.js');
  const run = (command) =>
    execFileSync(process.execPath, [cli, command, '--config', configFile], {
      cwd: root,
      stdio: 'pipe',
    });

  run('extract');
  for (const name of readdirSync(join(work, 'xliff')).filter((file) => file.endsWith('.xlf'))) {
    const known = new Set((committed.get(name) ?? []).map((unit) => unit.id));
    for (const unit of transUnits(join(work, 'xliff', name))) {
      if (!known.has(unit.id)) {
        problems.push(
          `${name}: message ${unit.id} is in the source but not in the xlf (run npx lit-localize extract and translate it): “${unit.source}”`,
        );
      }
    }
  }

  // Build from the committed xlf files and compare with the generated modules in the tree.
  rmSync(join(work, 'xliff'), {recursive: true});
  cpSync(xliffDir, join(work, 'xliff'), {recursive: true});
  run('build');
  const generatedDir = join(root, config.output.outputDir);
  for (const file of readdirSync(join(work, 'locales'))) {
    const inTree = join(generatedDir, file);
    const fresh = readFileSync(join(work, 'locales', file), 'utf8');
    if (!existsSync(inTree) || readFileSync(inTree, 'utf8') !== fresh) {
      problems.push(
        `${config.output.outputDir}/${file} is not up to date with the xlf files (run npx lit-localize build)`,
      );
    }
  }
} finally {
  rmSync(work, {recursive: true, force: true});
}

if (problems.length) {
  console.error(`Localization check failed (${problems.length}):`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(
  `Localization check passed: ${[...committed].map(([name, units]) => `${name} ${units.length} messages`).join(', ')}, all translated.`,
);
