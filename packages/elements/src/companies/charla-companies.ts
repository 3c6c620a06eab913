import '../timeline/charla-timeline.js';
import { CharlaCompanies } from './companies.component.js';

CharlaCompanies.define('charla-companies');

declare global {
  interface HTMLElementTagNameMap {
    'charla-companies': CharlaCompanies;
  }
}

export { CharlaCompanies };
/** Adds a language or overrides some strings; see the README's "Languages". */
export { registerLocale } from '../i18n/strings.js';
