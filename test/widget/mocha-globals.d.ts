// The BDD globals that web-test-runner's Mocha provides to the element tests. Declared here
// because @types/mocha is not installed (and would clash with node:test in test/server/).

type MochaDone = (error?: unknown) => void;
type MochaCallback = (this: unknown, done: MochaDone) => void | PromiseLike<unknown>;
type MochaTest = ((name: string, callback?: MochaCallback) => void) & {
  only: (name: string, callback?: MochaCallback) => void;
  skip: (name: string, callback?: MochaCallback) => void;
};
type MochaHook = (callback: MochaCallback) => void;

declare const describe: MochaTest;
declare const it: MochaTest;
declare const before: MochaHook;
declare const after: MochaHook;
declare const beforeEach: MochaHook;
declare const afterEach: MochaHook;
