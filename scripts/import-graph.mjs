// Who imports whom: the imports that cross from one layer (widget/, common/, server/, demo/,
// scripts/) to another, and the import cycles between modules. ESLint's layer rule
// (eslint.config.js) keeps the arrows one way; this keeps modules of a layer from importing
// each other in a circle, which puts them all in one chunk and makes their order of
// evaluation matter. `import type` is left out: it vanishes when compiled.
//   node scripts/import-graph.mjs          prints the picture
//   node scripts/import-graph.mjs --check  also exits 1 when there is a cycle
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const layers = ['widget', 'common', 'server', 'demo', 'scripts'];

function sourceFiles(dir) {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** The relative modules a file imports at run time (static, re-exported or `import()`). */
function runtimeImports(file) {
  const source = ts.createSourceFile(
    file,
    readFileSync(join(root, file), 'utf8'),
    ts.ScriptTarget.Latest,
  );
  const specifiers = [];
  const visit = (node) => {
    // `import type` vanishes; `import {type A}` stays as `import {}` (verbatimModuleSyntax).
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) =>
      relative(root, resolve(dirname(join(root, file)), specifier.replace(/\.js$/, '.ts'))),
    );
}

const graph = new Map(layers.flatMap(sourceFiles).map((file) => [file, runtimeImports(file)]));
const layerOf = (file) => file.split('/')[0];

const crossings = new Map();
for (const [file, targets] of graph) {
  for (const target of targets) {
    if (layerOf(target) !== layerOf(file)) {
      const arrow = `${layerOf(file)} -> ${layerOf(target)}`;
      crossings.set(arrow, (crossings.get(arrow) ?? 0) + 1);
    }
  }
}

// Cycles: Tarjan's strongly connected components with more than one module.
let counter = 0;
const stack = [];
const index = new Map();
const low = new Map();
const cycles = [];
function connect(file) {
  index.set(file, counter);
  low.set(file, counter++);
  stack.push(file);
  for (const target of graph.get(file) ?? []) {
    if (!graph.has(target)) continue;
    if (!index.has(target)) {
      connect(target);
      low.set(file, Math.min(low.get(file), low.get(target)));
    } else if (stack.includes(target)) {
      low.set(file, Math.min(low.get(file), index.get(target)));
    }
  }
  if (low.get(file) === index.get(file)) {
    const component = stack.splice(stack.indexOf(file));
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const file of graph.keys()) if (!index.has(file)) connect(file);

console.log(`Run-time imports between layers (${graph.size} modules):`);
for (const [arrow, count] of [...crossings].sort()) console.log(`  ${arrow}: ${count}`);
console.log(`Import cycles: ${cycles.length}`);
for (const cycle of cycles) console.log(`  ${cycle.length} modules: ${cycle.join(', ')}`);
if (process.argv.includes('--check') && cycles.length > 0) process.exit(1);
