/**
 * The report's sections, in order. To add one: write `pipeline/report/sections/<name>.ts` exporting a
 * SectionBuilder (see ../section.ts), then add one import and one entry below.
 */
import type { SectionBuilder } from '../section.ts';
import { confusionSection } from './confusion.ts';
import { headlineSection } from './headline.ts';
import { methodsSection } from './methods.ts';
import { dependsOnSection, sensitivitySection } from './sensitivity.ts';
import { stabilitySection } from './stability.ts';
import { taskPanelsSection } from './task-panels.ts';

export const SECTIONS: SectionBuilder[] = [
  headlineSection,
  dependsOnSection,
  confusionSection,
  taskPanelsSection,
  stabilitySection,
  sensitivitySection,
  methodsSection,
];
