/**
 * The report's sections, in order. To add one: write `pipeline/report/sections/<name>.ts` exporting a
 * SectionBuilder (see ../section.ts), then add one import and one entry below.
 */
import type { SectionBuilder, SectionsBuilder } from '../section.ts';
import { confusionSection } from './confusion.ts';
import { crossStudySection } from './cross-study.ts';
import { extrapolationSection } from './extrapolation.ts';
import { glossarySection } from './glossary.ts';
import { headlineSection } from './headline.ts';
import { jointSensitivitySection } from './joint-sensitivity.ts';
import { labelMatrixSection } from './label-matrix.ts';
import { ruleSetsSection } from './rule-sets.ts';
import { methodsSection } from './methods.ts';
import { dependsOnSection, sensitivitySection } from './sensitivity.ts';
import { registrySection } from './registry.ts';
import { stabilitySection } from './stability.ts';
import { studySections } from './studies.ts';
import { taskPanelsSection } from './task-panels.ts';
import { validationFlipsSection } from './validation-flips.ts';

export const SECTIONS: (SectionBuilder | SectionsBuilder)[] = [
  headlineSection,
  ruleSetsSection,
  dependsOnSection,
  confusionSection,
  taskPanelsSection,
  registrySection,
  labelMatrixSection,
  studySections,
  stabilitySection,
  sensitivitySection,
  jointSensitivitySection,
  validationFlipsSection,
  crossStudySection,
  extrapolationSection,
  methodsSection,
  glossarySection,
];
