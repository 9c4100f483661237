/** Version labels (x.y.z) and the versions already published under reports/. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const VERSION_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseVersion(text: string): [number, number, number] | undefined {
  const match = VERSION_PATTERN.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a)!, parseVersion(b)!];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

export function versionDirName(version: string): string {
  return `v${version}`;
}

/** Published versions (folders reports/vX.Y.Z), newest first. */
export function publishedVersions(reportsDir: string): string[] {
  if (!existsSync(reportsDir)) return [];
  return readdirSync(reportsDir)
    .filter((name) => name.startsWith('v') && parseVersion(name.slice(1)) !== undefined && statSync(join(reportsDir, name)).isDirectory())
    .map((name) => name.slice(1))
    .sort((a, b) => compareVersions(b, a));
}

/** The next free versions after `latest` (the newest published), as a suggestion for a message. */
export function nextVersionsText(latest: string | undefined): string {
  if (latest === undefined) return 'VERSION=0.1.0';
  const [major, minor, patch] = parseVersion(latest)!;
  return `VERSION=${major}.${minor}.${patch + 1} (patch), ${major}.${minor + 1}.0 (minor) or ${major + 1}.0.0 (major) after the latest ${latest}; CONTRIBUTING.md says which a change needs`;
}
