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

interface LineStart {
  /** Open flow collections (`[`, `{`) when the line starts. */
  readonly depth: number;
  /** Indentation of the line that opened a quoted scalar still open, or -1. */
  readonly quoteIndent: number;
}

const SCALAR_START = /[\s:[{,-]/;

/** Scans the text once and records, for each line, what is open where it starts. */
function scanLineStarts(lines: readonly string[]): LineStart[] {
  const out: LineStart[] = [];
  let depth = 0;
  let quote = '';
  let quoteIndent = -1;
  for (const line of lines) {
    out.push({ depth, quoteIndent: quote ? quoteIndent : -1 });
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote) quote = '';
        continue;
      }
      const before = i === 0 ? ' ' : line[i - 1]!;
      if ((c === '"' || c === "'") && SCALAR_START.test(before)) {
        quote = c;
        quoteIndent = line.length - line.trimStart().length;
      } else if (c === '#' && /\s/.test(before)) break;
      else if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && depth > 0) depth--;
    }
  }
  return out;
}

/**
 * Kubernetes reads manifests with go-yaml, which accepts two things the `yaml` package
 * rejects: a TAB that starts a line inside a flow collection (YAML allows tabs as
 * separation there) and continuation lines of a multi-line quoted scalar indented no
 * deeper than its key. Both are rewritten without changing any value: the tabs become
 * spaces, and the continuation lines are indented further (folding trims that space).
 */
function relaxIndentation(text: string): { text: string; lines: number[] } {
  const lines = text.split('\n');
  const starts = scanLineStarts(lines);
  const changed: number[] = [];
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const start = starts[n]!;
    if (start.quoteIndent >= 0) {
      lines[n] = ' '.repeat(start.quoteIndent + 1) + line.replace(/^[\t ]+/, '');
      if (lines[n] !== line) changed.push(n + 1);
    } else if (start.depth > 0 && line.startsWith('\t')) {
      lines[n] = line.replace(/^[\t ]+/, (ws) => ws.replaceAll('\t', ' '));
      changed.push(n + 1);
    }
  }
  return { text: lines.join('\n'), lines: changed };
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

  const fixed = relaxIndentation(text);
  if (fixed.lines.length > 0) {
    const second = attempt(file, fixed.text);
    if (!second.error) {
      const warnings = fixed.lines.map(
        (line) =>
          `${file}:${line}: indentation that only Kubernetes' YAML reader accepts (a leading TAB in a flow collection, or a shallow quoted-scalar line) was read as it reads it`,
      );
      return { documents: second.documents, warnings };
    }
  }

  const { message, line, column } = first.error;
  throw new InputError(`Cannot parse manifest: ${message}`, { file, line, column });
}
