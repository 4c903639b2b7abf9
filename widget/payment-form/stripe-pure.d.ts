// `@stripe/stripe-js` has no `exports` map, so NodeNext cannot resolve its `pure` entry's
// types; bundlers resolve the file itself. The loader has the main entry's signature.
declare module '@stripe/stripe-js/pure' {
  export {loadStripe} from '@stripe/stripe-js';
}
