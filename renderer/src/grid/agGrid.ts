import { AllCommunityModule, ModuleRegistry, colorSchemeDark, themeBalham } from 'ag-grid-community';
import { STYLE_NONCE_META, STYLE_NONCE_PLACEHOLDER } from '../api/contract';

ModuleRegistry.registerModules([AllCommunityModule]);

/** Dense and calm: the grid is where an investigator spends the day. */
export const gridTheme = themeBalham.withPart(colorSchemeDark).withParams({
  backgroundColor: '#14181e',
  foregroundColor: '#d5dae1',
  headerBackgroundColor: '#1b2028',
  oddRowBackgroundColor: '#161b21',
  borderColor: '#2a313b',
  accentColor: '#4f8fd6',
  fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace',
  fontSize: 12,
  headerFontSize: 12,
  rowHeight: 24,
  headerHeight: 28,
  spacing: 3,
});

/** The nonce this page load's CSP allows for the grid's injected theme styles. */
export function styleNonce(): string | undefined {
  const v = document.querySelector(`meta[name="${STYLE_NONCE_META}"]`)?.getAttribute('content');
  return v && v !== STYLE_NONCE_PLACEHOLDER ? v : undefined;
}
