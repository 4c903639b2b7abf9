// Writes custom-elements.json, the Custom Elements Manifest of <conroo-billing-portal>, from the
// class doc comment and the decorators of widget/conroo-billing-portal.ts (attributes,
// properties, methods, events, CSS parts and custom properties). Editors, Storybook and
// CONROO's web team read it.
//   node scripts/manifest.mjs          writes it
//   node scripts/manifest.mjs --check  fails (exit 1) when the committed file is out of date
import {readFileSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {create, ts} from '@custom-elements-manifest/analyzer';
import {litPlugin} from '@custom-elements-manifest/analyzer/src/features/framework-plugins/lit/lit.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const source = 'widget/conroo-billing-portal.ts';
const target = join(root, 'custom-elements.json');

const module = ts.createSourceFile(
  source,
  readFileSync(join(root, source), 'utf8'),
  ts.ScriptTarget.ES2022,
  true,
);
const manifest = create({modules: [module], plugins: [...litPlugin()], context: {dev: false}});
const json = `${JSON.stringify(manifest, null, 2)}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // Missing: reported below.
  }
  if (committed !== json) {
    console.error(
      'custom-elements.json is out of date with widget/conroo-billing-portal.ts (run npm run manifest)',
    );
    process.exit(1);
  }
  // Editors and Storybook find the manifest through package.json.
  const {customElements} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (customElements !== 'custom-elements.json') {
    console.error(`package.json "customElements" is ${customElements}, not custom-elements.json`);
    process.exit(1);
  }
  console.log('custom-elements.json is up to date.');
} else {
  writeFileSync(target, json);
  console.log(`Wrote custom-elements.json (${source}).`);
}
