import os from 'node:os';
import path from 'node:path';

/** The app's name as Electron uses it for `app.getPath('userData')`. */
export const APP_NAME = 'Surveyor';

/**
 * The per-user data folder, the same one Electron picks for an app named
 * Surveyor, so the desktop app and the command line share one library.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);

  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

/** `--library FILE`, else `SURVEYOR_LIBRARY`, else `library.sqlite` in the user-data folder. */
export function resolveLibraryPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.SURVEYOR_LIBRARY) return path.resolve(env.SURVEYOR_LIBRARY);

  return path.join(userDataDir(env), 'library.sqlite');
}

/** Where the stored copies of a library's PDFs live: a folder beside the SQLite file. */
export function filesDirFor(libraryPath: string): string {
  return libraryPath.replace(/\.sqlite$/i, '') + '.files';
}
