import {defineConfig} from 'vite';

// The Stripe.js stand-in as the emulator serves it (`<emulator>/js/stripe.js`): one ES module
// with Lit inside, into `dist-demo/`, never into `dist/` (what CONROO deploys).
export default defineConfig({
  build: {
    outDir: 'dist-demo/stripe-js',
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: 'demo/stripe-js/stripe.ts',
      formats: ['es'],
      fileName: () => 'stripe.js',
    },
    rolldownOptions: {output: {minify: true}},
  },
});
