/** The look shared by every chart: fonts, sizes and the colour of each behaviour. */
import type { Config } from 'vega-lite';

export const FONT = 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif';

/** Width in CSS pixels of report.html's text column; charts are sized to it so their text stays at 11 px or more. */
export const TEXT_COLUMN_WIDTH = 960;
/** Smallest font size any chart uses, in pixels. */
export const MIN_FONT_SIZE = 11;

/** Vega-Lite config for every chart; sections put it in their spec's `config`. */
export const CHART_CONFIG: Config = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#d0d0d0' },
  title: { fontSize: 13, fontWeight: 'bold', anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555555', offset: 6 },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#ececec', labelOverlap: 'greedy' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
  header: { labelFontSize: 11, titleFontSize: 12 },
};

/** Colour of each behaviour, the same in every chart (colour-blind-safe Okabe–Ito hues). */
export const BEHAVIOUR_COLOURS: Record<string, string> = {
  predictable: '#009E73',
  breakthrough: '#CC79A7',
  inverse: '#D55E00',
  nonmonotonic: '#E69F00',
  noisy: '#56B4E9',
  trendless: '#999999',
};

export const OTHER_COLOUR = '#444444';

export function behaviourColour(behaviour: string): string {
  return BEHAVIOUR_COLOURS[behaviour] ?? OTHER_COLOUR;
}

/** Published in one colour, reproduced in another, wherever the two are compared. */
export const SOURCE_COLOURS = { published: '#7f7f7f', reproduced: '#0072B2' } as const;

/** Colours for pretraining corpora, assigned in sorted order of corpus id. */
export const CORPUS_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442', '#000000'];

/** Shapes for model sizes, smallest first. */
export const SIZE_SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-right', 'triangle-left', 'wedge', 'arrow'];

/** "predictable" → "Predictable". */
export function capitalize(text: string): string {
  return text.length === 0 ? text : `${text[0]!.toUpperCase()}${text.slice(1)}`;
}
