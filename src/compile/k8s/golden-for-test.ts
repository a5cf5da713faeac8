// Golden text of a group-based target: its warnings as comment lines, then its output.
import type { TargetOutput } from './notes.js';

export function goldenText(output: TargetOutput, comment = '#'): string {
  const lines = output.warnings.map((note) => `${comment} warning: ${note.message}\n`);
  return `${lines.join('')}${output.text}`;
}
