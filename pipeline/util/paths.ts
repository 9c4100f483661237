/** Where the repository's folders are, independent of the current directory. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCHEMAS_DIR = join(ROOT, 'schemas');
export const STUDIES_DIR = join(ROOT, 'studies');
export const OUTPUTS_DIR = join(ROOT, 'outputs');
export const REPORTS_DIR = join(ROOT, 'reports');
export const CONFIG_DIR = join(ROOT, 'pipeline', 'config');
