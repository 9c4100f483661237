/** JSON pointers (RFC 6901), as problems and schema errors locate values. */

/** Escape a property name for a JSON pointer. */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
