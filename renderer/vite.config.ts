import { defineConfig } from 'vite';

/** The renderer is served from `cloudsift serve` and from Electron's app:// scheme: relative URLs, no inline code. */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    // An inlined module-preload polyfill would need 'unsafe-inline' in the CSP.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
