import type { Random } from '../../data/random';
import { shapeAt, type ViewAnatomy } from './anatomy';
import { SCENE, SCENE_LABEL, ViewRenderer } from './bmode';
import { frameContours } from './contours';
import type { Look } from './look';
import { fillPolygon } from './raster';
import { type Sector, toPixel, type Vec } from './sector';

/** One rendered instant of a view: the B-mode image and its CAMUS label map, both [rows, cols] uint8. */
export interface RenderedFrame {
  image: Uint8Array;
  mask: Uint8Array;
}

/** Renders any instant of one view of one patient; random fields are drawn once, in the constructor. */
export class ViewSimulator {
  private readonly renderer: ViewRenderer;

  constructor(
    readonly sector: Sector,
    readonly anatomy: ViewAnatomy,
    look: Look,
    random: Random,
  ) {
    this.renderer = new ViewRenderer(sector, look, random);
  }

  /** Phase t in [0, 1]: 0 is end diastole, 1 end systole. */
  frame(t: number): RenderedFrame {
    const { sector } = this;
    const contours = frameContours(shapeAt(this.anatomy, t), t, this.anatomy.view === '4CH');
    const scene = new Uint8Array(sector.rows * sector.cols);
    const fill = (polygon: Vec[] | undefined, value: number) => {
      if (polygon !== undefined)
        fillPolygon(
          scene,
          sector.rows,
          sector.cols,
          polygon.map((p) => toPixel(sector, p)),
          value,
        );
    };
    // Later fills win: drawn-only structures first, then the labelled ones in nesting order.
    fill(contours.pericardium, SCENE.pericardium);
    fill(contours.rv, SCENE.otherBlood);
    fill(contours.ra, SCENE.otherBlood);
    fill(contours.epi, SCENE.myocardium);
    fill(contours.endo, SCENE.lv);
    fill(contours.la, SCENE.la);
    for (const muscle of contours.papillary) fill(muscle, SCENE.papillary);
    const image = this.renderer.render(scene, contours.leaflets);
    const mask = scene;
    const labels = Uint8Array.from(SCENE_LABEL);
    for (let k = 0; k < mask.length; k++) mask[k] = labels[mask[k]];
    return { image, mask };
  }
}
