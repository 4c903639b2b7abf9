/**
 * Moves focus to `control`, the first field with an error after „Speichern". When it has focus
 * already (Enter was pressed in it), focus leaves and comes back, so that a screen reader says
 * the field again — with its error, its `aria-describedby` — instead of nothing.
 */
export function focusInvalidField(control: HTMLElement) {
  const root = control.getRootNode() as Document | ShadowRoot;
  if (root.activeElement === control) {
    control.blur();
  }
  control.focus();
}
