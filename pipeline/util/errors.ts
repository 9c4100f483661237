/** Errors a user can fix (bad input, bad arguments). The CLI prints their message, never a stack. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** What an operating-system error code means, in words (the codes a write or read commonly meets). */
const SYSTEM_CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it already exists',
  ENOENT: 'no such file or folder',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * One line for a file-system fault (full disk, read-only folder, a file where a folder should be):
 * the path and the cause, instead of a stack. Undefined for anything else (a bug keeps its stack).
 * Follows `cause` chains, since stages wrap errors with what they were doing.
 */
export function describeSystemError(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const { code, path, dest, syscall } = current as NodeJS.ErrnoException & { dest?: string };
    if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) continue;
    const cause = SYSTEM_CAUSES[code] ?? code;
    const where = dest ?? path;
    const action = syscall && /^(open|write|mkdir|rename|copyfile|unlink|rmdir|rm|symlink|ftruncate|close)$/.test(syscall) ? 'cannot write' : 'cannot access';
    return where ? `${action} ${where}: ${cause} (${code})` : `${syscall ?? 'file system'}: ${cause} (${code})`;
  }
  return undefined;
}

/** The one line a bug prints: what went wrong, that it is not the input's fault, how to see where. */
export function internalErrorLine(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const firstLine = message.split('\n', 1)[0]!.slice(0, 300);
  return `Error: internal error (a bug in the pipeline, not a problem with your input): ${firstLine}. Please report it; DEBUG=1 prints where it happened.`;
}
