import { createInterface } from 'node:readline';
import { InputError } from '../../domain/index.js';
import { openText } from '../open-text.js';
import { clip, JsonSplitter } from './splitter.js';
import type { JsonPiece } from './splitter.js';

/**
 * One top-level JSON value of a file with its text, or why it could not be read, with the
 * line it starts on.
 */
export type JsonRecord =
  | { readonly line: number; readonly value: unknown; readonly text: string }
  | { readonly line: number; readonly problem: string };

/** Options of {@link readJsonRecords}. */
export interface JsonRecordOptions {
  /** The format's name for messages, `Hubble flows`. */
  readonly what: string;
  /** Largest value cut out of an array or a multi-line sequence; 16 MiB unless set. */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

function parsePiece(piece: JsonPiece): JsonRecord {
  if ('problem' in piece) return piece;
  try {
    return { line: piece.line, value: JSON.parse(piece.text) as unknown, text: piece.text };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { line: piece.line, problem: `text "${clip(piece.text)}" is not JSON (${reason})` };
  }
}

function isCompleteJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the top-level JSON values of a file, plain or gzip, streaming: JSON lines (one
 * value per line, a bad line is reported and the next line read), the elements of a
 * top-level array, or objects printed over several lines one after the other. The first
 * non-blank line decides: `[` starts an array; a line that is JSON by itself starts JSON
 * lines; anything else is read as multi-line values.
 *
 * @throws InputError naming the file when it cannot be opened or decompressed.
 */
export async function* readJsonRecords(
  file: string,
  options: JsonRecordOptions,
): AsyncGenerator<JsonRecord> {
  let lineNumber = 0;
  let splitter: JsonSplitter | 'lines' | undefined;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const pieces: JsonPiece[] = [];

  try {
    const input = await openText(file);
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      lineNumber += 1;
      if (splitter === undefined) {
        const trimmed = line.trim();
        if (trimmed.length === 0) continue;
        if (trimmed.startsWith('[')) splitter = new JsonSplitter('array', maxBytes);
        else if (isCompleteJson(trimmed)) splitter = 'lines';
        else splitter = new JsonSplitter('values', maxBytes);
      }

      if (splitter === 'lines') {
        if (line.trim().length === 0) continue;
        yield parsePiece({ line: lineNumber, text: line });
        continue;
      }
      splitter.push(line, lineNumber, pieces);
      for (const piece of pieces) yield parsePiece(piece);
      pieces.length = 0;
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const message = `Cannot read ${options.what} "${file}": ${reason}; check that the file exists and, when compressed, is complete gzip`;
    throw new InputError(message, lineNumber > 0 ? { file, line: lineNumber } : { file }, {
      cause: err,
    });
  }
  if (splitter instanceof JsonSplitter) {
    splitter.end(lineNumber, pieces);
    for (const piece of pieces) yield parsePiece(piece);
  }
}
