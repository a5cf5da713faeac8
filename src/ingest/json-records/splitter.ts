/** One top-level JSON text cut out of a file, with the line it starts on. */
export type JsonPiece =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly problem: string };

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 0xfeff;
}

/**
 * Cuts a JSON text that arrives line by line into its top-level values without parsing
 * them: the elements of a top-level array (`array` mode, possibly several arrays one
 * after the other) or a sequence of objects written over several lines (`values` mode,
 * as `jq .` prints them). Only the value being cut is held in memory, and at most
 * `maxBytes` characters of it, so a file of any length streams.
 */
export class JsonSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private opened = false;
  private parts: string[] = [];
  private size = 0;
  private startLine = 0;

  constructor(
    private readonly mode: 'array' | 'values',
    private readonly maxBytes: number,
  ) {}

  /** Feeds one line (without its line end); completed values are appended to `out`. */
  push(line: string, lineNumber: number, out: JsonPiece[]): void {
    let from = this.startLine > 0 ? 0 : -1;
    for (let i = 0; i < line.length; i++) {
      const code = line.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (code === BACKSLASH) this.escaped = true;
        else if (code === QUOTE) this.inString = false;
        continue;
      }
      if (isBlank(code)) continue;

      if (this.mode === 'array' && this.depth === 0) {
        if (!this.opened) {
          if (code === OPEN_BRACKET) {
            this.opened = true;
            continue;
          }
          out.push({
            line: lineNumber,
            problem: `text "${clip(line.slice(i))}" is outside the top-level array`,
          });
          return;
        }
        if (code === COMMA || code === CLOSE_BRACKET) {
          if (from >= 0) this.finish(line.slice(from, i), out);
          from = -1;
          if (code === CLOSE_BRACKET) this.opened = false;
          continue;
        }
      }

      if (
        this.mode === 'values' &&
        this.depth === 0 &&
        code !== OPEN_BRACE &&
        code !== OPEN_BRACKET
      ) {
        out.push({
          line: lineNumber,
          problem: `text "${clip(line.slice(i))}" is not inside a JSON object`,
        });
        return;
      }

      if (from < 0) {
        from = i;
        this.startLine = lineNumber;
      }
      if (code === QUOTE) this.inString = true;
      else if (code === OPEN_BRACE || code === OPEN_BRACKET) this.depth += 1;
      else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        this.depth -= 1;
        if (this.mode === 'values' && this.depth === 0) {
          this.finish(line.slice(from, i + 1), out);
          from = -1;
        }
      }
    }
    if (from >= 0) this.append(line.slice(from) + '\n');
  }

  /** Reports a value left open at the end of the input, if any; `lastLine` is the file's last line. */
  end(lastLine: number, out: JsonPiece[]): void {
    if (this.startLine > 0) {
      out.push({
        line: this.startLine,
        problem:
          'the value starting here never ends: the file is cut short or a bracket is missing',
      });
    } else if (this.mode === 'array' && this.opened) {
      out.push({
        line: lastLine,
        problem: 'the top-level array never closes: the file is cut short',
      });
    }
    this.reset();
  }

  private append(text: string): void {
    this.size += text.length;
    if (this.size <= this.maxBytes) this.parts.push(text);
    else this.parts = [];
  }

  private finish(last: string, out: JsonPiece[]): void {
    this.append(last);
    const line = this.startLine;
    if (this.size > this.maxBytes) {
      out.push({ line, problem: `the value is larger than ${this.maxBytes} characters` });
    } else {
      out.push({ line, text: this.parts.join('') });
    }
    this.reset();
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
    this.startLine = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }
}

/** The start of a text for a message, at most 40 characters. */
export function clip(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed;
}
