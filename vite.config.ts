import minifyTemplateLiterals from 'rollup-plugin-minify-template-literals';
import {defineConfig} from 'vite';

// Library build of the element. The page loads one ES module with one script tag
// (`dist/conroo-billing-portal.js`): the root element, the login form and the API client,
// everything that shows before a login. The rest loads on demand as chunks in `dist/chunks/`
// (see widget/lazy-parts.ts): the dashboard with its sections, the payment form, and one
// chunk per language the portal is translated to (widget/localization.ts; German, the source
// language, is in the entry). Chunks import each other and the entry by relative URLs,
// resolved from the URL the entry was loaded from, so the files work copied together to any
// origin or CDN path.
// Reference the entry by its plain URL (no `?v=…`): the chunks import it back by that URL, and
// a second URL would be a second copy of the module.
export default defineConfig({
  plugins: [
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
      entry: 'widget/index.ts',
      formats: ['es'],
      fileName: () => 'conroo-billing-portal.js',
    },
    rolldownOptions: {
      // Lit, @lit/localize and the rest that the entry and the chunks share stay in the entry
      // (which is always loaded first) instead of going to common chunks the entry would import
      // statically: one request before the login form shows, not four.
      preserveEntrySignatures: 'allow-extension',
      output: {
        // `build.minify` alone leaves whitespace in ES library output.
        minify: true,
        chunkFileNames: 'chunks/[name]-[hash].js',
        codeSplitting: {
          // Lit and its helpers in one chunk that the entry imports: rolldown 1.2 would split
          // them into two or three common chunks anyway (a shared module that also holds an
          // `import()` keeps it from merging them into the entry), and one chunk that changes
          // only with Lit's version stays cached across releases of the portal.
          groups: [
            {
              name: 'lit',
              test: /node_modules[\\/](lit|lit-html|lit-element|@lit|@oxc-project)[\\/]/,
              // Only what the entry needs; directives of the dashboard stay in its chunk.
              tags: ['$initial'],
            },
          ],
        },
      },
    },
  },
});
