/** The six behaviours a curve is labelled with (schemas/defs.schema.json's behaviour), in report order. */
export const BEHAVIOURS = ['predictable', 'breakthrough', 'inverse', 'nonmonotonic', 'noisy', 'trendless'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];
