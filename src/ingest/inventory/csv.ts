/** One CSV record: its cells and the line it starts on (counting from 1). */
export interface CsvRecord {
  readonly line: number;
  readonly cells: string[];
  /** Set when a quoted cell is followed by text before the next comma (RFC 4180 forbids it). */
  readonly problem?: string;
}

/** CSV text that cannot be split into records, with the line where the trouble starts. */
export class CsvSyntaxError extends SyntaxError {
  override readonly name = 'CsvSyntaxError';

  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Splits CSV text (RFC 4180) into records: cells separated by commas, records by CRLF or
 * LF, a cell in double quotes may hold commas, line breaks and doubled quotes (`""`).
 * A leading byte-order mark is dropped.
 *
 * @throws CsvSyntaxError at the line where a quoted cell opens and never closes.
 */
export function* parseCsv(text: string): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    let problem: string | undefined;

    for (;;) {
      let cell = '';
      if (text.charCodeAt(i) === QUOTE) {
        const close = closingQuote(text, i + 1);
        if (close < 0) {
          throw new CsvSyntaxError(
            `quoted cell opened on line ${line} never closes: end it with a double quote, and write a quote inside a cell as ""`,
            line,
          );
        }
        const raw = text.slice(i + 1, close);
        line += countLines(raw);
        cell = raw.replaceAll('""', '"');
        i = close + 1;

        const rest = i;
        while (i < text.length && !isCellEnd(text.charCodeAt(i))) i++;
        if (i > rest && problem === undefined) {
          problem = `text "${text.slice(rest, i)}" follows the closing quote of cell ${cells.length + 1}: put the whole cell in quotes`;
        }
      } else {
        const begin = i;
        while (i < text.length && !isCellEnd(text.charCodeAt(i))) i++;
        cell = text.slice(begin, i);
      }
      cells.push(cell);

      const code = text.charCodeAt(i);
      i += 1;
      if (code === COMMA) continue;
      if (code === CR && text.charCodeAt(i) === LF) i += 1;
      break;
    }

    line += 1;
    yield problem === undefined ? { line: start, cells } : { line: start, cells, problem };
  }
}

function isCellEnd(code: number): boolean {
  return code === COMMA || code === LF || code === CR;
}

/** Index of the quote that ends a quoted cell (skipping doubled quotes), or -1. */
function closingQuote(text: string, from: number): number {
  let i = from;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return -1;
    if (text.charCodeAt(quote + 1) !== QUOTE) return quote;
    i = quote + 2;
  }
}

function countLines(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === LF) count++;
  return count;
}
