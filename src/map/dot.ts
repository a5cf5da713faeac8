import type { DependencyMap } from './map.js';

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Renders the map as Graphviz DOT: one node per workload or group, one edge per service. */
export function renderDot(map: DependencyMap): string {
  const lines = [
    'digraph bulkhead {',
    '  rankdir=LR;',
    '  node [shape=box, fontname="sans-serif"];',
  ];
  const used = new Set(map.edges.flatMap((e) => [e.client, e.server]));
  for (const node of map.nodes) {
    if (!used.has(node.name)) continue;
    lines.push(`  ${quote(node.name)}${node.discovered ? ' [style=dashed]' : ''};`);
  }
  for (const edge of map.edges) {
    lines.push(
      `  ${quote(edge.client)} -> ${quote(edge.server)} [label=${quote(`${edge.service} (${edge.flows})`)}];`,
    );
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
