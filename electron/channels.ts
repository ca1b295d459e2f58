/** IPC channel names, shared by main and preload. Every one starts with `surveyor:`. */
export const CHANNELS = {
  invoke: 'surveyor:invoke',
  pickPaths: 'surveyor:pick-paths',
  openPdf: 'surveyor:open-pdf',
  saveExport: 'surveyor:save-export',
  event: 'surveyor:event',
} as const;
