/**
 * The page's layout worker: lays out the topics it is sent with fcose on a headless cytoscape
 * (layout-core.ts), off the page's main thread, and posts each topic's positions back as soon as
 * it is done, so the page stays responsive and can show progress.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { layoutTopic, type Topic, type TopicPositions } from './layout-core.js';

cytoscape.use(fcose);

export interface LayoutRequest {
  job: number;
  topics: Topic[];
}

export type LayoutReply = ({ job: number } & TopicPositions) | { job: number; error: string };

// A dedicated worker's global scope; the page's tsconfig knows the DOM's types, not the worker's.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(reply: LayoutReply): void;
};

scope.onmessage = (e) => {
  const { job, topics } = e.data;
  try {
    for (const t of topics) scope.postMessage({ job, key: t.key, positions: layoutTopic(cytoscape, t) });
  } catch (err) {
    scope.postMessage({ job, error: err instanceof Error ? err.message : String(err) });
  }
};
