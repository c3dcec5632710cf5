/** Charts for nodes and reports: vega-lite spec builders and one renderer to SVG and PNG. */
export { renderChart, renderSvg, svgToPng, writeChart, type RenderedChart, type RenderOptions } from './render';
export { embeddingChart, pairwiseProjections, scatterByGroup, type GroupedPoints } from './scatter';
export { seriesFromLog, trainingCurves, type CurvesOptions, type LogRecord, type Series } from './curves';
export { histogramGrid, overlaidHistograms, type HistogramGroup, type HistogramOptions, type HistogramPanel } from './histograms';
export { blandAltmanChart, identityScatterChart, type AgreementPanel } from './agreement';
