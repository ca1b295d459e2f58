import { resolveLibraryPath } from '../core/paths.js';
import { openLibrary, type Library } from '../db/library.js';
import type { ParsedArgs } from './command.js';

/** Opens the library a command was pointed at (`--library`, `SURVEYOR_LIBRARY`, or the default). */
export function openFromArgs(args: ParsedArgs, opts: { readonly?: boolean } = {}): Library {
  return openLibrary(resolveLibraryPath(args.values.library as string | undefined), opts);
}
