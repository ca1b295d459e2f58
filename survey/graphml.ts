/**
 * The library's graph as GraphML (for Gephi or Cytoscape desktop): papers as nodes with their
 * direction, its source and confidence, topic cluster and label, and citation key; citation
 * edges directed, similarity edges undirected with their weight.
 */
import type Database from 'better-sqlite3';
import { readGraph } from '../graph/store.js';
import { readDirections } from './store.js';

function xml(text: string): string {
  // Characters XML 1.0 forbids are dropped; the five specials are escaped.
  return text
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const NODE_KEYS = [
  ['label', 'string'],
  ['year', 'int'],
  ['arxivId', 'string'],
  ['citeKey', 'string'],
  ['direction', 'string'],
  ['directionSource', 'string'],
  ['directionConfidence', 'double'],
  ['cluster', 'int'],
  ['clusterLabel', 'string'],
] as const;

/** GraphML text for the library's graph; `keys` gives each paper's citation key. */
export function toGraphml(db: Database.Database, keys: Map<number, string>): string {
  const graph = readGraph(db);
  const directions = readDirections(db);
  const labels = new Map(graph.clusters.map((c) => [c.id, c.label]));
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '  xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns' +
      ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...NODE_KEYS.map(([name, type]) => `  <key id="${name}" for="node" attr.name="${name}" attr.type="${type}"/>`),
    '  <key id="kind" for="edge" attr.name="kind" attr.type="string"/>',
    '  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>',
    '  <graph id="surveyor" edgedefault="directed">',
  ];
  for (const n of graph.nodes) {
    const d = directions.get(n.id);
    const data: [string, string | number | null | undefined][] = [
      ['label', n.title],
      ['year', n.year],
      ['arxivId', n.arxivId],
      ['citeKey', keys.get(n.id)],
      ['direction', d?.direction],
      ['directionSource', d?.direction ? d.source : null],
      ['directionConfidence', d?.confidence == null ? null : Math.round(d.confidence * 1000) / 1000],
      ['cluster', n.cluster],
      ['clusterLabel', n.cluster == null ? null : labels.get(n.cluster)],
    ];
    out.push(`    <node id="p${n.id}">`);
    for (const [k, v] of data)
      if (v !== null && v !== undefined) out.push(`      <data key="${k}">${xml(String(v))}</data>`);
    out.push('    </node>');
  }
  graph.edges.forEach((e, i) => {
    const directed = e.kind === 'cites' ? '' : ' directed="false"';
    out.push(`    <edge id="e${i}" source="p${e.source}" target="p${e.target}"${directed}>`);
    out.push(`      <data key="kind">${e.kind}</data>`, `      <data key="weight">${e.weight}</data>`, '    </edge>');
  });
  out.push('  </graph>', '</graphml>', '');

  return out.join('\n');
}
