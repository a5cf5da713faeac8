/**
 * Turns the text of one manifest file into documents. YAML (several documents per file)
 * and JSON are both read as YAML 1.2, of which JSON is a subset.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Place } from '../../domain/index.js';
import { InputError } from '../../domain/index.js';

/** One document of a manifest file and where it starts. */
export interface ManifestDocument {
  readonly object: unknown;
  readonly place: Place;
}

/** The documents of a file plus notes about input that was read leniently. */
export interface ManifestText {
  readonly documents: readonly ManifestDocument[];
  readonly warnings: readonly string[];
}

interface Attempt {
  readonly documents: ManifestDocument[];
  readonly error?: { readonly message: string; readonly line: number; readonly column: number };
}

function attempt(file: string, text: string): Attempt {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const documents: ManifestDocument[] = [];
  for (const doc of docs) {
    const first = doc.errors[0];
    if (first) {
      const pos = lineCounter.linePos(first.pos[0]);
      const message = first.message.split('\n')[0] ?? first.message;
      return { documents, error: { message, line: pos.line, column: pos.col } };
    }
    const start = doc.contents?.range[0] ?? doc.range[0];
    const object: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (object === null || object === undefined) continue;
    documents.push({ object, place: { file, line: lineCounter.linePos(start).line } });
  }
  return { documents };
}

/**
 * YAML allows tabs as separation inside flow collections (`[ ... ]`, `{ ... }`), and
 * Kubernetes' reader (go-yaml) accepts a tab that starts such a line; the `yaml` package
 * takes it for block indentation and rejects it. Lines that start inside an open flow
 * collection get their leading tabs replaced by spaces, which changes no value.
 */
function untabFlowLines(text: string): { text: string; lines: number[] } {
  const lines = text.split('\n');
  const changed: number[] = [];
  let depth = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (depth > 0 && line.startsWith('\t')) {
      lines[n] = line.replace(/^[\t ]+/, (ws) => ws.replaceAll('\t', ' '));
      changed.push(n + 1);
    }
    depth = flowDepthAfter(line, depth);
  }
  return { text: lines.join('\n'), lines: changed };
}

function flowDepthAfter(line: string, start: number): number {
  let depth = start;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return depth;
}

/**
 * Parses the text of one manifest file.
 *
 * @throws InputError naming the file and line when the text is not valid YAML or JSON.
 */
export function parseManifestText(file: string, raw: string): ManifestText {
  // CRLF and LF are the same line break to YAML; the parser mis-reads CRLF inside
  // multi-line quoted scalars, so line breaks are normalised first.
  const text = raw.replaceAll('\r\n', '\n');
  const first = attempt(file, text);
  if (!first.error) return { documents: first.documents, warnings: [] };

  const fixed = untabFlowLines(text);
  if (fixed.lines.length > 0) {
    const second = attempt(file, fixed.text);
    if (!second.error) {
      const warnings = fixed.lines.map(
        (line) => `${file}:${line}: a TAB starts a line inside a flow collection; read as a space`,
      );
      return { documents: second.documents, warnings };
    }
  }

  const { message, line, column } = first.error;
  throw new InputError(`Cannot parse manifest: ${message}`, { file, line, column });
}
