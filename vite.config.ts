import {defineConfig} from 'vite';

// Library build of the element: one ES module that a page loads with one script tag
// (`dist/conroo-billing-portal.js`). The translations are inlined rather than split into lazy
// chunks: rolldown would also split `@lit/localize` into a third file, and one self-contained
// file is what a host page on another origin (or a CDN) can copy and load without surprises.
export default defineConfig({
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
      output: {
        // `build.minify` alone leaves whitespace in ES library output.
        minify: true,
        codeSplitting: false,
      },
    },
  },
});
