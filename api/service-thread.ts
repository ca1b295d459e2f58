/**
 * The service on its own thread, for the desktop app: Electron's main process must stay free
 * for the window, menus and dialogs while ingest, embedding and builds run. The worker opens
 * the library, hosts the same SurveyorService the browser face uses, and streams its events.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openLibrary } from '../db/library.js';
import { dispatch } from './dispatch.js';
import { loadPipeline } from './pipeline.js';
import { SurveyorService } from './service.js';
import type { ThreadReply, ThreadRequest } from './service-client.js';

const port = parentPort!;
const lib = openLibrary((workerData as { libraryPath: string }).libraryPath);
const service = new SurveyorService(lib, await loadPipeline());
const handlers = service.handlers();
const post = (m: ThreadReply) => port.postMessage(m);

service.onEvent((event) => post({ type: 'event', event }));
port.on('message', (m: ThreadRequest) => {
  if (m.type === 'close') {
    void service.close().finally(() => {
      lib.close();
      post({ type: 'closed' });
      port.close();
    });
    return;
  }
  void dispatch(handlers, m.method, m.input).then((reply) => post({ type: 'reply', id: m.id, reply }));
});
post({ type: 'ready' });
