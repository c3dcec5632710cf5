import { readFileSync } from 'fs';

/**
 * The interactive 3-D UMAP view: Zdog (a small canvas pseudo-3D engine, inlined from npm) draws the
 * points; dragging rotates them. It runs in the report page, so it is plain browser JavaScript with
 * no imports; the points come from a JSON <script> element beside each canvas.
 */

/** Zdog's browser bundle, read from node_modules when a report is built (not kept in the repository). */
export function zdogBundle(): string {
  return readFileSync(require.resolve('zdog/dist/zdog.dist.min.js'), 'utf8');
}

/** The data each canvas reads (see umap-section.ts). */
export interface ViewerData {
  groups: string[];
  colours: string[];
  /** [x, y, z, group index], coordinates scaled to -1..1 on every axis. */
  points: [number, number, number, number][];
}

export const VIEWER_SCRIPT = `
(function () {
  'use strict';
  var SIZE = 150;
  document.querySelectorAll('canvas.umap3d').forEach(function (canvas) {
    var data = JSON.parse(document.getElementById(canvas.dataset.source).textContent);
    var illo = new Zdog.Illustration({
      element: canvas,
      dragRotate: true,
      rotate: { x: -0.35, y: 0.6 },
      onDragMove: function () { illo.updateRenderGraph(); }
    });
    var axes = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    axes.forEach(function (a) {
      new Zdog.Shape({
        addTo: illo,
        path: [{ x: -a[0] * SIZE, y: a[1] * SIZE, z: -a[2] * SIZE }, { x: a[0] * SIZE, y: -a[1] * SIZE, z: a[2] * SIZE }],
        stroke: 1,
        color: '#c8c8c8'
      });
    });
    data.points.forEach(function (p) {
      new Zdog.Shape({
        addTo: illo,
        translate: { x: p[0] * SIZE, y: -p[1] * SIZE, z: p[2] * SIZE },
        stroke: 5,
        color: data.colours[p[3]]
      });
    });
    illo.updateRenderGraph();
    canvas.dataset.ready = 'true';
  });
})();
`;
