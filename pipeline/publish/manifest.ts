/** manifest.json of a published version: what produced it and the sha256 of every input and output. */
import type { GitState } from '../util/provenance.ts';

export const MANIFEST_FILE = 'manifest.json';

export interface Manifest {
  schemaVersion: 1;
  /** The version label, x.y.z. */
  version: string;
  /** name and version of package.json. */
  project: { name: string; version: string };
  /** Git state when outputs/ was made (from its run record). */
  git: GitState;
  /** Node.js version that made outputs/. */
  node: string;
  /** Installed version of each dependency in package.json. */
  packages: Record<string, string>;
  /** sha256 of every input file (studies/, pipeline/config/*.json, schemas/*.json), by path from the repository root. */
  inputs: Record<string, string>;
  /** sha256 of every other file of this version, by path inside the version folder. */
  outputs: Record<string, string>;
  /** Why this version was published, in the publisher's words (make publish NOTE=...); absent when none was given. */
  note?: string;
}
