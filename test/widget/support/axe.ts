// axe-core sets `window.axe` when its script runs; the package has no ES module of its own.
import 'axe-core';
import type {AxeResults, ImpactValue, Result, RunOptions} from 'axe-core';

type Axe = {run(context: Element, options: RunOptions): Promise<AxeResults>};

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

function axe(): Axe {
  const loaded = (window as unknown as {axe?: Axe}).axe;
  if (!loaded) {
    throw new Error('axe-core did not load (window.axe is missing).');
  }
  return loaded;
}

/** One line per failing node: rule, impact, where, and what axe says to fix. */
export function describeViolations(violations: Result[]): string {
  const lines = violations.flatMap((violation) =>
    violation.nodes.map((node) => {
      const summary = (node.failureSummary ?? violation.help).replace(/\s+/g, ' ').trim();
      return `  ${violation.id} (${violation.impact as ImpactValue}) at ${JSON.stringify(node.target)}: ${summary}`;
    }),
  );
  return [...new Set(lines)].join('\n');
}

// axe keeps state between runs; two at once throw „Axe is already running".
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs axe on `element` and everything below it, open shadow roots included, with the WCAG 2.2
 * A/AA rules and best practices; resolves to the violations.
 */
export function axeViolations(element: Element): Promise<Result[]> {
  const run = queue.then(() =>
    axe().run(element, {
      runOnly: {type: 'tag', values: wcagTags},
      resultTypes: ['violations'],
    }),
  );
  queue = run.catch(() => undefined);
  return run.then((results) => results.violations);
}

/** Fails with every violation listed when axe finds one in `element`. */
export async function expectNoAxeViolations(element: Element, view: string) {
  const violations = await axeViolations(element);
  if (violations.length) {
    throw new Error(
      `axe found ${violations.length} violated rule(s) in ${view}:\n${describeViolations(violations)}`,
    );
  }
}
