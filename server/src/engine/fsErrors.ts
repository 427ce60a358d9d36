/** File-system errors in words, for problems and skip reasons. */

/** Why an entry could not be read, in words (the error code is kept for anything unusual). */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no longer exists (deleted or renamed during the scan)';
    case 'ENOTDIR': return 'is no longer a folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'symbolic link loop';
    case 'EMFILE':
    case 'ENFILE': return 'too many open files';
    default: return e instanceof Error ? e.message : String(err);
  }
}
