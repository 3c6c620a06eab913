import { join } from 'node:path';
import express, { type Express } from 'express';

/**
 * The widget loads from any site: its files are public and cached briefly so releases roll out
 * fast. Besides the loader and the panel, the panel's chunks loaded on demand (the survey card,
 * `survey-card-<hash>.js`).
 */
const WIDGET_FILES = ['/widget.js', '/widget-panel.js', '/survey-card-:hash.js'];

/**
 * Serves the built front end from `staticDir` (missing files simply 404):
 * the widget from `<staticDir>/widget/`, and the demo pages from `<staticDir>/demo/` at the
 * root, where `/admin` finds `admin.html`.
 */
export function serveStatic(app: Express, staticDir: string): void {
  const widgetDir = join(staticDir, 'widget');
  for (const path of WIDGET_FILES) {
    app.get(path, (req, res, next) => {
      // Loaded by <script> on the sites that embed it: other origins may read it.
      res.set({ 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'Cache-Control': 'public, max-age=300' });
      res.sendFile(req.path.slice(1), { root: widgetDir }, (error) => {
        if (error && !res.headersSent) next();
      });
    });
  }
  app.use(express.static(join(staticDir, 'demo'), { extensions: ['html'] }));
}
