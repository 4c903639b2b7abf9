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
     * A bar above the section in narrow containers, in reading order: who is signed in, the
     * account, the sections (wrapping, never scrolling sideways), „Abmelden" at the end.
     */
    .sidebar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--conroo-space, 1rem) * 0.5) calc(var(--conroo-space, 1rem) * 0.75);
      padding: calc(var(--conroo-space, 1rem) * 0.75);
      background: var(--conroo-sidebar-background, var(--conroo-surface-muted));
      border-radius: var(--conroo-radius);
    }

    .identity {
      flex: 1 1 100%;
      min-width: 0;
      font-size: 0.875rem;
    }

    /* A long address wraps rather than being cut off with an ellipsis (WCAG 1.4.10). */
    .identity strong {
      display: block;
      overflow-wrap: anywhere;
    }

    .switcher {
      flex: 1 1 100%;
      display: grid;
      gap: 0.25rem;
      font-size: 0.875rem;
      font-weight: 600;
    }

    /* Slimmer than a form's select: it sits in the sidebar. */
    select {
      min-height: 2.5rem;
      padding: 0.375rem 0.5rem;
      font-weight: 400;
    }

    nav {
      flex: 1 1 auto;
      min-width: 0;
    }

    nav ul {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      margin: 0;
      padding: 0;
      list-style: none;
    }

    nav button {
      min-height: 2.5rem;
      padding: 0.5rem 0.875rem;
      border: 0;
      border-radius: calc(var(--conroo-radius) * 0.75);
      background: none;
      color: inherit;
      font: inherit;
      text-align: start;
      cursor: pointer;
    }

    nav button:hover {
      background: var(--conroo-surface);
    }

    /* Marked by more than the yellow, which is too light against the sidebar (WCAG 1.4.11). */
    nav button[aria-current='page'] {
      background: var(--conroo-accent);
      color: var(--conroo-accent-text);
      font-weight: 600;
      box-shadow: inset 0 -3px 0 var(--conroo-accent-text);
    }

    .logout {
      flex: none;
      margin-inline-start: auto;
    }

    .content {
      min-width: 0;
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
        flex-direction: column;
        flex-wrap: nowrap;
        align-items: stretch;
        gap: var(--conroo-space, 1rem);
        padding: var(--conroo-space, 1rem);
      }

      .sidebar > * {
        flex: none;
      }

      nav ul {
        flex-direction: column;
        flex-wrap: nowrap;
      }

      nav button[aria-current='page'] {
        box-shadow: inset 4px 0 0 var(--conroo-accent-text);
      }

      nav button {
        width: 100%;
      }

      .logout {
        margin-top: auto;
        margin-inline-start: 0;
      }
    }
  `,
];
