import {html, nothing} from 'lit';
import {live} from 'lit/directives/live.js';
import {msg} from '@lit/localize';
import type {FleetView} from '../context/navigation-context.js';
import {fleetFilters, type FleetFilter} from './fleet-model.js';
import {filterLabel, sortOptions} from './fleet-texts.js';

// Above the fleet: the search, the filter chips and (in the narrow list, which has no column
// headers) the sort order.

export interface FleetToolbarOptions {
  view: FleetView;
  /** Whether the table shows, whose column headers sort. */
  wide: boolean;
  /** How many drivers each chip finds among all of them. */
  counts: Record<FleetFilter, number>;
  onQuery: (query: string) => void;
  onToggleFilter: (filter: FleetFilter) => void;
  onSort: (sort: FleetView['sort']) => void;
}

const sortValue = (sort: FleetView['sort']) => `${sort.key}:${sort.descending ? 'desc' : 'asc'}`;

function renderSortSelect({view, onSort}: FleetToolbarOptions) {
  const options = sortOptions();
  return html`<div class="field sort-field">
    <label for="fleet-sort">${msg('Sortieren nach')}</label>
    <select
      id="fleet-sort"
      .value=${live(sortValue(view.sort))}
      @change=${(event: Event) => {
        const value = (event.target as HTMLSelectElement).value;
        const chosen = options.find((option) => sortValue(option.sort) === value);
        if (chosen) onSort(chosen.sort);
      }}
    >
      ${options.map(
        (option) =>
          html`<option
            value=${sortValue(option.sort)}
            ?selected=${sortValue(option.sort) === sortValue(view.sort)}
          >
            ${option.label}
          </option>`,
      )}
    </select>
  </div>`;
}

export function renderFleetToolbar(options: FleetToolbarOptions) {
  const {view, counts} = options;
  return html`<div class="toolbar">
    <div class="field search-field">
      <label for="fleet-search">${msg('Suchen')}</label>
      <input
        id="fleet-search"
        part="search"
        type="search"
        autocomplete="off"
        spellcheck="false"
        aria-describedby="fleet-search-hint"
        .value=${live(view.query)}
        @input=${(event: Event) => options.onQuery((event.target as HTMLInputElement).value)}
      />
      <p class="hint muted" id="fleet-search-hint">${msg('Name, E-Mail-Adresse oder USt-IdNr.')}</p>
    </div>
    ${options.wide ? nothing : renderSortSelect(options)}
    <div class="chips" role="group" aria-labelledby="fleet-filter-label">
      <span id="fleet-filter-label" class="chips-label">${msg('Filter')}</span>
      ${fleetFilters.map(
        (filter) =>
          html`<button
            type="button"
            class="chip"
            part="filter-chip"
            data-filter=${filter}
            aria-pressed=${view.filters.includes(filter) ? 'true' : 'false'}
            @click=${() => options.onToggleFilter(filter)}
          >
            ${filterLabel(filter)} <span class="chip-count">(${counts[filter]})</span>
          </button>`,
      )}
    </div>
  </div>`;
}
