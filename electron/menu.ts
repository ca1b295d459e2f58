/**
 * The application menu as data (no `electron` import), so tests can read its items and
 * shortcuts. Each item sends a command to the page, which runs the same action as its button.
 */
import type { MenuCommand } from '../api/contract.js';

export interface MenuItemSpec {
  label?: string;
  accelerator?: string;
  role?: string;
  type?: 'separator';
  command?: MenuCommand;
  submenu?: MenuItemSpec[];
}

export function menuTemplate(platform: NodeJS.Platform = process.platform): MenuItemSpec[] {
  const mac = platform === 'darwin';

  return [
    ...(mac ? [{ role: 'appMenu' }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Add PDFs…', accelerator: 'CmdOrCtrl+O', command: 'add-pdfs' },
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+Shift+O', command: 'add-folder' },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', command: 'export' },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        // Undo and redo act on direction corrections; inside a text field the page keeps the field's own undo.
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', command: 'undo' },
        { label: 'Redo', accelerator: mac ? 'Shift+Cmd+Z' : 'Ctrl+Y', command: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        { label: 'Find', accelerator: 'CmdOrCtrl+F', command: 'find' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Zoom In', accelerator: 'CmdOrCtrl+Plus', command: 'zoom-in' },
        { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', command: 'zoom-out' },
        { label: 'Fit Graph', accelerator: 'CmdOrCtrl+0', command: 'fit' },
        { type: 'separator' },
        { label: 'Light or Dark Theme', accelerator: 'CmdOrCtrl+Shift+L', command: 'toggle-theme' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ] as MenuItemSpec[];
}
