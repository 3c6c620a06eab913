import { css } from 'lit';

export const dashboardStyles = css`
  :host {
    display: block;
    min-width: 0;
    container-type: inline-size;
    background: var(--charla-dashboard-background, var(--charla-color-surface-sunken, #eef1f5));
    color: var(--charla-color-text, #1c2430);
    font-family: var(--charla-font-family, system-ui, sans-serif);
    font-size: var(--charla-font-size-m, 14px);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--charla-space-m, 12px);
    padding: var(--charla-space-m, 12px) var(--charla-space-l, 16px);
    background: var(--charla-color-surface, #fff);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
  }
  h2 {
    margin: 0;
    font-size: var(--charla-font-size-l, 16px);
  }
  h3 {
    margin: 0 0 var(--charla-space-s, 8px);
    font-size: var(--charla-font-size-m, 14px);
  }
  h4 {
    margin: 0 0 var(--charla-space-s, 8px);
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .controls,
  .range {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--charla-space-m, 12px);
    border: 0;
    margin: 0;
    padding: 0;
  }
  .field {
    display: grid;
    gap: 2px;
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  input,
  select,
  button {
    font: inherit;
    color: inherit;
  }
  input,
  select {
    font-size: var(--charla-font-size-m, 14px);
    color: var(--charla-color-text, #1c2430);
    background: var(--charla-color-surface-raised, #f6f8fa);
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    padding: 5px 8px;
    min-height: 34px;
    color-scheme: light dark;
  }
  input:focus-visible,
  select:focus-visible,
  .table-scroll:focus-visible,
  button:focus-visible,
  h3:focus-visible {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 2px;
  }
  .views {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--charla-space-m, 12px);
    padding: var(--charla-space-m, 12px) var(--charla-space-l, 16px);
  }
  .views.stale {
    opacity: 0.6;
  }
  .wide {
    grid-column: 1 / -1;
  }
  .card {
    background: var(--charla-dashboard-card-background, var(--charla-color-surface, #fff));
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-l, 14px);
    padding: var(--charla-space-l, 16px);
    min-width: 0;
  }
  .ranking,
  .service,
  .csat,
  .ltv,
  .acquisition,
  .workload {
    grid-column: 1 / -1;
  }
  th.group {
    padding-top: var(--charla-space-m, 12px);
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  .presence {
    display: inline-flex;
    align-items: center;
    gap: var(--charla-space-xs, 4px);
    white-space: nowrap;
  }
  .presence .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--charla-color-text-muted, #5b6777);
  }
  .presence.online .dot {
    background: var(--charla-color-success, #2e7d32);
  }
  .presence.away .dot {
    background: var(--charla-color-warning, #b26a00);
  }
  @container (min-width: 760px) {
    .views {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    }
  }
  .hint,
  .muted,
  .empty {
    color: var(--charla-color-text-muted, #5b6777);
  }
  .hint {
    margin: 0 0 var(--charla-space-m, 12px);
    font-size: var(--charla-font-size-s, 12px);
  }
  .empty {
    margin: var(--charla-space-l, 16px) 0;
    text-align: center;
  }
  .state {
    padding: var(--charla-space-xl, 24px);
    text-align: center;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .state.error {
    color: var(--charla-color-danger, #c62828);
  }
  .bars,
  .deals,
  .legend {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  /* Rows share their columns (subgrid), so bars line up and the values take the room they need. */
  .bars {
    display: grid;
    grid-template-columns: fit-content(11rem) minmax(48px, 1fr) max-content;
    column-gap: var(--charla-space-s, 8px);
  }
  .bars > li {
    display: grid;
    grid-column: 1 / -1;
    grid-template-columns: subgrid;
  }
  .bar-row {
    display: grid;
    grid-column: 1 / -1;
    grid-template-columns: subgrid;
    align-items: center;
    width: 100%;
    padding: 6px var(--charla-space-s, 8px);
    background: none;
    border: 0;
    border-radius: var(--charla-radius-m, 8px);
    text-align: start;
    cursor: pointer;
  }
  .value .detail {
    color: var(--charla-color-text-muted, #5b6777);
  }
  @container (max-width: 520px) {
    /* On a phone the detail goes under the number rather than squeezing the bar. */
    .value .detail {
      display: block;
      font-size: var(--charla-font-size-s, 12px);
    }
    .value .sep {
      display: none;
    }
    .count .bar {
      display: none;
    }
    /* Cells wrap (amounts in several currencies, long stage names) so tables fit the width. */
    table th,
    table td {
      padding-inline: var(--charla-space-xs, 4px);
      white-space: normal;
    }
  }
  /* Headers (and the clocks' names) wrap rather than push a table past a phone's width. */
  thead th,
  .clocks th {
    white-space: normal;
    vertical-align: bottom;
  }
  .bar-row.static {
    cursor: default;
  }
  button.bar-row:hover,
  .deal:hover {
    background: var(--charla-color-surface-raised, #f6f8fa);
  }
  .label {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .value {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .bar {
    width: 100%;
    height: 18px;
    display: block;
  }
  .bar.small {
    width: 80px;
    height: 10px;
    flex: none;
  }
  .track {
    fill: var(--charla-color-surface-sunken, #eef1f5);
  }
  .fill {
    fill: var(--charla-dashboard-bar, var(--charla-color-primary, #1f6feb));
  }
  .fill.won {
    fill: var(--charla-dashboard-won, var(--charla-color-success, #1a7f37));
  }
  .fill.lost {
    fill: var(--charla-dashboard-lost, var(--charla-color-danger, #c62828));
    opacity: 0.75;
  }
  .fill.expected {
    fill: var(--charla-dashboard-forecast, var(--charla-color-primary, #1f6feb));
    opacity: 0.55;
  }
  .target {
    fill: var(--charla-dashboard-target, var(--charla-color-text, #1c2430));
  }
  .table-scroll {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    padding: 6px var(--charla-space-s, 8px);
    border-bottom: 1px solid var(--charla-color-border, #d9dee5);
    text-align: start;
    white-space: nowrap;
  }
  thead th {
    font-size: var(--charla-font-size-s, 12px);
    font-weight: 600;
    color: var(--charla-color-text-muted, #5b6777);
  }
  th[scope='row'] {
    font-weight: normal;
  }
  .num {
    text-align: end;
  }
  tfoot th,
  tfoot td {
    font-weight: 600;
    border-bottom: 0;
  }
  td.money {
    white-space: normal;
    min-width: 8rem;
  }
  .count {
    display: flex;
    align-items: center;
    justify-content: flex-end;
    gap: var(--charla-space-s, 8px);
  }
  .count .bar.small {
    width: 56px;
  }
  td:has(.amount) {
    white-space: normal;
    min-width: 160px;
  }
  .amount {
    display: flex;
    align-items: center;
    gap: var(--charla-space-s, 8px);
  }
  .link:disabled {
    color: inherit;
    text-decoration: none;
    cursor: default;
  }
  .link {
    background: none;
    border: 0;
    padding: 0;
    color: var(--charla-color-primary, #1f6feb);
    cursor: pointer;
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  .big {
    margin: 0;
    font-size: 24px;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .summary {
    margin: var(--charla-space-xs, 4px) 0 var(--charla-space-m, 12px);
  }
  .gauge {
    width: 100%;
    height: 28px;
    display: block;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: var(--charla-space-m, 12px);
    margin: var(--charla-space-s, 8px) 0 var(--charla-space-m, 12px);
    font-size: var(--charla-font-size-s, 12px);
  }
  .legend li {
    display: flex;
    align-items: center;
    gap: var(--charla-space-xs, 4px);
  }
  .swatch {
    width: 12px;
    height: 12px;
    border-radius: 3px;
    background: var(--charla-dashboard-won, var(--charla-color-success, #1a7f37));
  }
  .swatch.lost {
    background: var(--charla-dashboard-lost, var(--charla-color-danger, #c62828));
    opacity: 0.75;
  }
  .swatch.expected {
    background: var(--charla-dashboard-forecast, var(--charla-color-primary, #1f6feb));
    opacity: 0.55;
  }
  .swatch.target {
    width: 3px;
    background: var(--charla-dashboard-target, var(--charla-color-text, #1c2430));
  }
  .total {
    margin: var(--charla-space-m, 12px) var(--charla-space-s, 8px) 0;
    font-weight: 600;
  }
  .split {
    width: 100%;
    height: 12px;
    display: block;
    border-radius: 3px;
    margin-bottom: var(--charla-space-m, 12px);
  }
  .actions,
  .forecast-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--charla-space-s, 8px);
  }
  .forecast-actions {
    justify-content: space-between;
    gap: var(--charla-space-m, 12px);
  }
  .actions .secondary {
    display: inline-flex;
    align-items: center;
    gap: var(--charla-space-xs, 4px);
  }
  .target-field input {
    width: 12rem;
  }
  input[aria-invalid='true'] {
    border-color: var(--charla-color-danger, #c62828);
  }
  .field-error {
    margin: var(--charla-space-xs, 4px) 0 0;
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-danger, #c62828);
  }
  .figures {
    display: flex;
    flex-wrap: wrap;
    gap: var(--charla-space-l, 16px) var(--charla-space-xl, 24px);
    margin: 0 0 var(--charla-space-m, 12px);
  }
  .figures dt {
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  .figures dd {
    margin: 0;
  }
  .service-grid {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--charla-space-l, 16px) var(--charla-space-xl, 24px);
  }
  @container (min-width: 760px) {
    .service-grid {
      grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    }
  }
  .csat .service-grid {
    grid-template-columns: minmax(0, 1fr);
  }
  @container (min-width: 760px) {
    .csat .service-grid {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    }
  }
  .channels .bar-row {
    padding-inline: 0;
  }
  .stats {
    display: flex;
    flex-wrap: wrap;
    gap: var(--charla-space-s, 8px) var(--charla-space-xl, 24px);
    list-style: none;
    margin: var(--charla-space-m, 12px) 0 0;
    padding: 0;
    color: var(--charla-color-text-muted, #5b6777);
  }
  .stat-value {
    font-size: var(--charla-font-size-l, 16px);
    font-weight: 600;
    color: var(--charla-color-text, #1c2430);
    font-variant-numeric: tabular-nums;
  }
  .card-header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--charla-space-s, 8px);
    margin-bottom: var(--charla-space-s, 8px);
  }
  .card-header h3 {
    margin: 0;
  }
  .card-tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--charla-space-s, 8px);
  }
  .export-error {
    margin: 0 var(--charla-space-l, 16px);
    padding: var(--charla-space-s, 8px);
  }
  .toggle {
    display: inline-flex;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    margin: 0;
    padding: 2px;
    gap: 2px;
    background: var(--charla-color-surface-raised, #f6f8fa);
  }
  .toggle label {
    position: relative;
    display: inline-flex;
  }
  .toggle input {
    position: absolute;
    inset: 0;
    opacity: 0;
    margin: 0;
    min-height: 0;
    cursor: pointer;
  }
  .toggle span {
    padding: 4px 10px;
    border-radius: calc(var(--charla-radius-m, 8px) - 2px);
    font-size: var(--charla-font-size-s, 12px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  .toggle input:checked + span {
    background: var(--charla-dashboard-card-background, var(--charla-color-surface, #fff));
    color: var(--charla-color-text, #1c2430);
    font-weight: 600;
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.12);
  }
  .toggle input:focus-visible + span {
    outline: 2px solid var(--charla-color-focus, #1f6feb);
    outline-offset: 1px;
  }
  .capped {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--charla-space-s, 8px);
    margin: 0 0 var(--charla-space-s, 8px);
    color: var(--charla-color-text-muted, #5b6777);
  }
  .secondary:disabled {
    opacity: 0.6;
    cursor: default;
  }
  .secondary,
  .retry {
    background: var(--charla-color-surface-raised, #f6f8fa);
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    padding: 6px 12px;
    cursor: pointer;
  }
  .drill {
    margin: 0 var(--charla-space-l, 16px) var(--charla-space-l, 16px);
  }
  .drill header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--charla-space-m, 12px);
  }
  .deals {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
    gap: var(--charla-space-xs, 4px);
    max-height: 320px;
    overflow-y: auto;
  }
  .deal {
    display: flex;
    justify-content: space-between;
    gap: var(--charla-space-s, 8px);
    width: 100%;
    padding: 8px var(--charla-space-s, 8px);
    background: none;
    border: 1px solid var(--charla-color-border, #d9dee5);
    border-radius: var(--charla-radius-m, 8px);
    text-align: start;
    cursor: pointer;
  }
  .deal .title {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .deal .amount {
    font-variant-numeric: tabular-nums;
    color: var(--charla-color-text-muted, #5b6777);
  }
`;
