import {css} from 'lit';
import {formFieldStyles, portalStyles} from '../styles/portal-styles.js';

/** The look of the dashboard, over the portal's shared styles. */
export const dashboardStyles = [
  portalStyles,
  formFieldStyles,
  css`
    :host {
      display: block;
      container-type: inline-size;
    }

    .layout {
      display: grid;
      grid-template-columns: 1fr;
      gap: var(--conroo-space, 1rem);
    }

    /*
     * Narrow containers (a phone; a 1280 px window at 200 % zoom): one short bar above the
     * section, „Menü" on the left and „Abmelden" on the right. „Menü" opens the sections (one
     * below the other, never scrolling sideways) and who is signed in; the account switcher
     * sits below the bar when the session holds several accounts.
     */
    .sidebar {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      align-items: start;
      gap: calc(var(--conroo-space, 1rem) * 0.5) calc(var(--conroo-space, 1rem) * 0.75);
      padding: calc(var(--conroo-space, 1rem) * 0.5);
      background: var(--conroo-sidebar-background, var(--conroo-surface-muted));
      border-radius: var(--conroo-radius);
    }

    /* The bar's row: the menu's list opens below „Menü", across the whole bar. */
    nav {
      grid-area: 1 / 1 / 2 / 3;
      min-width: 0;
    }

    .logout {
      grid-area: 1 / 2;
      min-height: 2.75rem;
    }

    .identity {
      display: none;
      grid-area: 2 / 1 / 3 / 3;
      min-width: 0;
      padding-inline: 0.5rem;
      font-size: 0.875rem;
    }

    .menu-open .identity {
      display: block;
    }

    /* A long address wraps rather than being cut off with an ellipsis (WCAG 1.4.10). */
    .identity strong {
      display: block;
      overflow-wrap: anywhere;
    }

    .switcher {
      grid-column: 1 / 3;
      display: grid;
      grid-template-columns: auto minmax(0, 1fr);
      align-items: center;
      gap: 0.25rem 0.75rem;
      padding-inline-start: 0.5rem;
      font-size: 0.875rem;
      font-weight: 600;
    }

    /* Slimmer than a form's select: it sits in the sidebar. */
    select {
      min-height: 2.75rem;
      padding: 0.375rem 0.5rem;
      font-weight: 400;
    }

    .menu-button {
      display: inline-flex;
      align-items: center;
      gap: 0.5rem;
      min-height: 2.75rem;
      padding: 0.5rem 0.875rem 0.5rem 0.625rem;
      border: 1px solid var(--conroo-border-strong);
      border-radius: calc(var(--conroo-radius) * 0.75);
      background: var(--conroo-surface);
      color: inherit;
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }

    .menu-button svg {
      flex: none;
    }

    nav ul {
      display: none;
      flex-direction: column;
      gap: 0.25rem;
      margin: 0.5rem 0 0;
      padding: 0;
      list-style: none;
    }

    .menu-open nav ul {
      display: flex;
    }

    nav ul button {
      width: 100%;
      min-height: 2.75rem;
      padding: 0.5rem 0.875rem;
      border: 0;
      border-radius: calc(var(--conroo-radius) * 0.75);
      background: none;
      color: inherit;
      font: inherit;
      text-align: start;
      cursor: pointer;
    }

    nav ul button:hover,
    .menu-button:hover {
      background: var(--conroo-surface);
    }

    /* Marked by more than the yellow, which is too light against the sidebar (WCAG 1.4.11). */
    nav ul button[aria-current='page'] {
      background: var(--conroo-accent);
      color: var(--conroo-accent-text);
      font-weight: 600;
      box-shadow: inset 4px 0 0 var(--conroo-accent-text);
    }

    .content {
      position: relative;
      min-width: 0;
    }

    /* What the dashboard scrolls into view after a section change: heading to first card. */
    .reveal {
      position: absolute;
      inset-inline: 0;
      visibility: hidden;
      pointer-events: none;
      scroll-margin-block: calc(var(--conroo-space, 1rem) * 0.5);
    }

    .content > h2 {
      margin-bottom: 1rem;
    }

    .fleet-trip {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.25rem 1rem;
      margin-bottom: 0.75rem;
    }

    .fleet-trip .link-button {
      min-height: 2.5rem;
    }

    /* At 320 px „Zahlungsmethoden" still fits on one line. */
    @container (max-width: 20rem) {
      .content > h2 {
        font-size: 1.1875rem;
      }
    }

    /* Wide containers: the sidebar of the help article, „Abmelden" at its bottom. */
    @container (min-width: 46rem) {
      .layout {
        grid-template-columns: var(--conroo-sidebar-width, 15rem) minmax(0, 1fr);
        gap: calc(var(--conroo-space, 1rem) * 1.5);
        min-height: 28rem;
      }

      .sidebar {
        display: flex;
        flex-direction: column;
        gap: var(--conroo-space, 1rem);
        padding: var(--conroo-space, 1rem);
      }

      .identity,
      .menu-open .identity {
        display: block;
        padding-inline: 0;
      }

      .switcher {
        grid-template-columns: 1fr;
        padding-inline-start: 0;
      }

      select {
        min-height: 2.5rem;
      }

      .menu-button {
        display: none;
      }

      nav ul {
        display: flex;
        margin: 0;
      }

      nav ul button {
        min-height: 2.5rem;
      }

      .logout {
        min-height: 2.5rem;
        margin-top: auto;
      }
    }
  `,
];
