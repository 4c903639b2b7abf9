import {waitTimeout, waitUntil} from './wait-timeout.js';

// Helpers that see through the portal's nested shadow roots, the way a user sees the page.

function* composedNodes(root: Node): Generator<Node> {
  yield root;
  if (root instanceof Element && root.shadowRoot) {
    yield* composedNodes(root.shadowRoot);
  }
  for (const child of Array.from(root.childNodes)) {
    yield* composedNodes(child);
  }
}

/** All elements matching `selector` anywhere below `root`, shadow roots included. */
export function findAll<E extends Element = HTMLElement>(root: Node, selector: string): E[] {
  const found: E[] = [];
  for (const node of composedNodes(root)) {
    if (node instanceof Element && node.matches(selector)) {
      found.push(node as E);
    }
  }
  return found;
}

export function find<E extends Element = HTMLElement>(root: Node, selector: string): E | null {
  return findAll<E>(root, selector)[0] ?? null;
}

/** The visible text below `root`, shadow roots included, whitespace collapsed. */
export function textOf(root: Node): string {
  let text = '';
  for (const node of composedNodes(root)) {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (parent && (parent.localName === 'style' || parent.localName === 'script')) continue;
      // Words for screen readers only (e.g. what „•••• 4242" means) are not seen.
      if (parent?.closest('.visually-hidden')) continue;
      text += ` ${node.textContent}`;
    }
  }
  return text.replace(/\s+/g, ' ').trim();
}

export async function waitForText(root: Node, text: string | RegExp, message?: string) {
  const matches = () => {
    const content = textOf(root);
    return typeof text === 'string' ? content.includes(text) : text.test(content);
  };
  await waitUntil(matches, message ?? `expected to see “${text}”; saw: ${textOf(root)}`, {
    timeout: waitTimeout,
  });
}

export async function waitForElement<E extends Element = HTMLElement>(
  root: Node,
  selector: string,
): Promise<E> {
  await waitUntil(() => find(root, selector), `expected an element “${selector}”`, {
    timeout: waitTimeout,
  });
  return find<E>(root, selector)!;
}

/** The button whose text is `label` (exactly, after trimming). */
export function buttonNamed(root: Node, label: string): HTMLButtonElement | null {
  return (
    findAll<HTMLButtonElement>(root, 'button').find(
      (button) => button.textContent?.replace(/\s+/g, ' ').trim() === label,
    ) ?? null
  );
}

export async function waitForButton(root: Node, label: string): Promise<HTMLButtonElement> {
  await waitUntil(() => buttonNamed(root, label), `expected a button “${label}”`, {
    timeout: waitTimeout,
  });
  return buttonNamed(root, label)!;
}
