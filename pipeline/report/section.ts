/**
 * The unit the report is made of. Each analysis contributes one section, built from its files in
 * outputs/ only; the report stage lays sections out in order in report.html and report.md.
 */
import type { TopLevelSpec } from 'vega-lite';

export interface Chart {
  /** File-name-safe id, unique in the report: figures are written as `<id>.svg` and `<id>.png`. */
  id: string;
  title: string;
  spec: TopLevelSpec;
  /** Optional: charts with the same group are laid out together as small multiples under this heading (plain text). */
  group?: string;
  /** Optional: one Markdown sentence shown under the chart. */
  caption?: string;
  /** Optional: written to figures/ for linking (e.g. one task's panel alone), but not drawn in the report, which shows the grid it belongs to. */
  linkOnly?: boolean;
  /** Optional: narrower than the text column by design (a small square matrix); other single-view charts are stretched to the column. */
  narrow?: boolean;
}

export interface Table {
  /** Optional file-name-safe id, unique in the report: the table is also written as `tables/<id>.csv` (default `<section id>-<n>`). */
  id?: string;
  title: string;
  header: string[];
  /** Cells are plain text; the renderers escape them. */
  rows: (string | number)[][];
}

export interface ReportSection {
  id: string;
  title: string;
  /** Markdown paragraphs of results. Numbers must be read from outputs/, never typed in. Contributed text must be escaped with the report's escape helpers. */
  summary: string[];
  /** Markdown paragraphs for the methods section: what was computed and how. */
  methods: string[];
  charts: Chart[];
  tables: Table[];
}

/** Reads files written by earlier stages. */
export interface OutputsReader {
  dir: string;
  exists(name: string): boolean;
  /** Parsed once per reader and frozen: every caller gets the same value, which none may change. */
  json<T = unknown>(name: string): T;
  /** CSV as records of strings (header row as keys); parsed once per reader and frozen. */
  csv(name: string): readonly Readonly<Record<string, string>>[];
}

/** Builds a section from outputs/, or returns undefined when its inputs are absent. */
export type SectionBuilder = (outputs: OutputsReader) => ReportSection | undefined;

/** Builds several sections (one per study), or undefined when its inputs are absent. */
export type SectionsBuilder = (outputs: OutputsReader) => ReportSection[] | undefined;
