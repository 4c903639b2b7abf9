import minifyTemplateLiterals from 'rollup-plugin-minify-template-literals';
import {resolve} from 'node:path';
import {defineConfig, type Plugin} from 'vite';

// Library build of the element. The page loads one ES module with one script tag
// (`dist/conroo-billing-portal.js`): the loader (widget/loader.ts), about a kilobyte, which
// loads the element only when it is used. Everything else is chunks in `dist/chunks/`, each
// named by its content's hash: the element with the login form and the API client
// (`portal-…`, the loader's one `import()`), Lit, and what loads on demand after that (see
// widget/lazy-parts.ts): the dashboard with its sections, the payment form, and one chunk per
// language the portal is translated to (widget/localization.ts; German, the source language,
// is in the element). Chunks import each other by relative URLs, resolved from the URL they
// were loaded from, so the files work copied together to any origin or CDN path; none imports
// the loader, so a chunk of one release never meets a loader of another.
/**
 * What the element's first use fetches, relative to the loader: `{"modulepreload": [...]}`
 * (demo/boot.ts reads it by this name for its customer-portal page).
 */
const FIRST_USE_MANIFEST = 'conroo-billing-portal.preload.json';

/**
 * The loader asks for the element and everything the element imports statically at once, in
 * one round of requests, instead of the element first and its imports once it has arrived (one
 * round trip more than the single entry of before). The loader's name is not hashed, so its
 * code may change after the chunks' names are set.
 */
function loadElementInOneRound(): Plugin {
  return {
    name: 'conroo-load-element-in-one-round',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const loader = chunks.find((chunk) => chunk.isEntry);
      const elementModule = resolve('widget/index.ts');
      const element = chunks.find((chunk) => chunk.moduleIds.includes(elementModule));
      if (!loader || !element) return this.error('the loader or the element chunk was not found');
      const escaped = element.fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const call = new RegExp(`import\\((["'\`])\\./${escaped}\\1\\)`, 'g');
      const calls = loader.code.match(call)?.length ?? 0;
      if (calls !== 1) {
        return this.error(`the loader's import() of ${element.fileName} was found ${calls} times`);
      }
      // What the element imports statically, all the way down.
      const first = new Set<string>();
      const add = (file: string) => {
        const chunk = bundle[file];
        if (file === element.fileName || chunk === loader) {
          this.error(`${file} is imported back by what the element imports`);
        }
        if (first.has(file) || chunk?.type !== 'chunk') return;
        first.add(file);
        chunk.imports.forEach(add);
      };
      element.imports.forEach(add);
      const ahead = [...first].map((file) => `import("./${file}").catch(()=>{})`);
      loader.code = loader.code.replace(call, (whole) => `(${[...ahead, whole].join(',')})`);
      // The same files for a page that shows the portal inline at the top, to name in
      // `<link rel="modulepreload">` hints (README, „Embedding the element").
      this.emitFile({
        type: 'asset',
        fileName: FIRST_USE_MANIFEST,
        source: `${JSON.stringify({modulepreload: [...first, element.fileName]}, null, 2)}\n`,
      });
    },
  };
}

export default defineConfig({
  plugins: [
    loadElementInOneRound(),
    // Lit's html`…` and css`…` templates reach the bundle as written, indentation and comments
    // included: minified here (html-minifier-terser with conservative whitespace collapsing, so
    // a space between inline elements stays one space; clean-css), as lit.dev advises.
    minifyTemplateLiterals({include: ['widget/**/*.ts'], failOnError: true}),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: 'widget/loader.ts',
      formats: ['es'],
      fileName: () => 'conroo-billing-portal.js',
    },
    rolldownOptions: {
      // The loader keeps exactly its own exports: no module it shares with the element is
      // hoisted into it, which would make the chunks import the loader's stable URL.
      preserveEntrySignatures: 'strict',
      output: {
        // `build.minify` alone leaves whitespace in ES library output.
        minify: true,
        // Each chunk after its name (the element's: `portal-…`, its code-splitting group below)
        // and its content's hash, so a name is never reused for other code and the server can let
        // browsers keep them for good.
        chunkFileNames: 'chunks/[name]-[hash].js',
        codeSplitting: {
          // Lit's core in one chunk, which the element imports and which changes only with
          // Lit's version, so it stays cached across releases of the portal.
          groups: [
            {
              // The element with everything it imports (Lit's core aside, which the higher
              // priority keeps in its own chunk): the modules it shares with the lazy chunks
              // (the API client, shared styles, the e-mail field) come with it, which the lazy
              // chunks then import from it, instead of as chunks of their own. First use is then
              // the element, Lit and Rolldown's tiny runtime: fewer modules to fetch and
              // evaluate before the first render, and 1 kB less.
              name: 'portal',
              test: /widget[\\/]index\.ts$/,
              priority: 0,
            },
            {
              name: 'lit',
              priority: 10,
              // The core only: the directives and @lit/task, which only the dashboard uses, stay
              // in its chunk.
              test: /node_modules[\\/](lit|lit-element|@lit[\\/](reactive-element|localize|context)|@oxc-project)[\\/]|node_modules[\\/]lit-html[\\/]lit-html\.js$/,
            },
          ],
        },
      },
    },
  },
});
