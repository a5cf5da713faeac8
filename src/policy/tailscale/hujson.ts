/** Where a value starts in the text, counted from 1. */
export interface HuPlace {
  readonly line: number;
  readonly column: number;
}

/** One `"key": value` pair of an object, in the order written. */
export interface HuMember {
  readonly key: string;
  readonly keyPlace: HuPlace;
  readonly value: HuValue;
}

/** A parsed HuJSON value with the place it starts at. */
export type HuValue = HuPlace &
  (
    | { readonly kind: 'string'; readonly value: string }
    | { readonly kind: 'number'; readonly value: number }
    | { readonly kind: 'boolean'; readonly value: boolean }
    | { readonly kind: 'null' }
    | { readonly kind: 'array'; readonly items: readonly HuValue[] }
    | { readonly kind: 'object'; readonly members: readonly HuMember[] }
  );

/** The outcome of parsing: the value, or the first syntax error with its place. */
export type HuParseResult =
  | { readonly ok: true; readonly value: HuValue }
  | {
      readonly ok: false;
      readonly message: string;
      readonly line: number;
      readonly column: number;
    };

// Deeper nesting than this is no policy anyone writes; the limit keeps recursion bounded
// on hostile input instead of overflowing the stack.
const MAX_DEPTH = 128;

class HuSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly place: HuPlace,
  ) {
    super(message);
  }
}

/**
 * Parses HuJSON, the JSON dialect of Tailscale policy files: JSON plus `//` and `/* … *\/`
 * comments and a trailing comma after the last element of an array or object.
 *
 * @param text The file's text.
 * @returns The value tree with places, or the first syntax error with its line and column;
 *   never throws.
 * @example
 * parseHujson('{"acls": [], /* none yet *\/}'); // { ok: true, value: { kind: 'object', … } }
 */
export function parseHujson(text: string): HuParseResult {
  const parser = new Parser(text);
  try {
    const value = parser.document();
    return { ok: true, value };
  } catch (err) {
    if (err instanceof HuSyntaxError) {
      return { ok: false, message: err.message, line: err.place.line, column: err.place.column };
    }
    throw err;
  }
}

class Parser {
  private index = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  document(): HuValue {
    if (this.text.charCodeAt(0) === 0xfeff) this.index = 1; // a byte order mark is not content
    this.skipSpace();
    if (this.index >= this.text.length) {
      throw this.fail(
        'Cannot parse HuJSON: the text is empty; write a policy object such as {"acls": []}',
      );
    }
    const value = this.value(0);
    this.skipSpace();
    if (this.index < this.text.length) {
      throw this.fail(
        `Cannot parse HuJSON: unexpected ${this.describe()} after the end of the top-level value; remove it or wrap both values in one object`,
      );
    }
    return value;
  }

  private place(): HuPlace {
    return { line: this.line, column: this.index - this.lineStart + 1 };
  }

  private fail(message: string, place: HuPlace = this.place()): HuSyntaxError {
    return new HuSyntaxError(message, place);
  }

  private describe(): string {
    if (this.index >= this.text.length) return 'end of text';
    const ch = this.text[this.index] ?? '';
    return ch === '\n' ? 'line break' : `character ${JSON.stringify(ch)}`;
  }

  private advance(): void {
    if (this.text[this.index] === '\n') {
      this.line += 1;
      this.lineStart = this.index + 1;
    }
    this.index += 1;
  }

  private skipSpace(): void {
    for (;;) {
      const ch = this.text[this.index];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        this.advance();
      } else if (ch === '/' && this.text[this.index + 1] === '/') {
        while (this.index < this.text.length && this.text[this.index] !== '\n') this.advance();
      } else if (ch === '/' && this.text[this.index + 1] === '*') {
        const start = this.place();
        this.advance();
        this.advance();
        while (!(this.text[this.index] === '*' && this.text[this.index + 1] === '/')) {
          if (this.index >= this.text.length) {
            throw this.fail(
              'Cannot parse HuJSON: a block comment is not closed; end it with */',
              start,
            );
          }
          this.advance();
        }
        this.advance();
        this.advance();
      } else {
        return;
      }
    }
  }

  private value(depth: number): HuValue {
    if (depth > MAX_DEPTH) {
      throw this.fail(`Cannot parse HuJSON: values nest deeper than ${MAX_DEPTH} levels`);
    }
    const place = this.place();
    const ch = this.text[this.index];
    if (ch === '{') return this.object(place, depth);
    if (ch === '[') return this.array(place, depth);
    if (ch === '"') return { kind: 'string', value: this.string(), ...place };
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      return { kind: 'number', value: this.number(), ...place };
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.index)) {
        for (let i = 0; i < word.length; i++) this.advance();
        return value === null ? { kind: 'null', ...place } : { kind: 'boolean', value, ...place };
      }
    }
    if (ch === "'") {
      throw this.fail('Cannot parse HuJSON: strings use double quotes; write "text", not \'text\'');
    }
    throw this.fail(
      `Cannot parse HuJSON: unexpected ${this.describe()} where a value should start; write a string, number, object, array, true, false or null`,
    );
  }

  private object(place: HuPlace, depth: number): HuValue {
    this.advance(); // {
    const members: HuMember[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] === '}') {
        this.advance();
        return { kind: 'object', members, ...place };
      }
      if (this.text[this.index] !== '"') {
        throw this.fail(
          `Cannot parse HuJSON: unexpected ${this.describe()} where an object key or "}" should be; keys are double-quoted strings`,
        );
      }
      const keyPlace = this.place();
      const key = this.string();
      this.skipSpace();
      if (this.text[this.index] !== ':') {
        throw this.fail(
          `Cannot parse HuJSON: unexpected ${this.describe()} after key ${JSON.stringify(key)}; write a ":" between a key and its value`,
        );
      }
      this.advance();
      this.skipSpace();
      const value = this.value(depth + 1);
      members.push({ key, keyPlace, value });
      this.skipSpace();
      const next = this.text[this.index];
      if (next === ',') {
        this.advance();
      } else if (next !== '}') {
        throw this.fail(
          `Cannot parse HuJSON: unexpected ${this.describe()} after the value of ${JSON.stringify(key)}; separate members with "," or close the object with "}"`,
        );
      }
    }
  }

  private array(place: HuPlace, depth: number): HuValue {
    this.advance(); // [
    const items: HuValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] === ']') {
        this.advance();
        return { kind: 'array', items, ...place };
      }
      items.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text[this.index];
      if (next === ',') {
        this.advance();
      } else if (next !== ']') {
        throw this.fail(
          `Cannot parse HuJSON: unexpected ${this.describe()} in an array; separate items with "," or close the array with "]"`,
        );
      }
    }
  }

  private string(): string {
    const start = this.place();
    this.advance(); // opening quote
    let out = '';
    for (;;) {
      if (this.index >= this.text.length) {
        throw this.fail('Cannot parse HuJSON: a string is not closed; end it with "', start);
      }
      const ch = this.text[this.index] ?? '';
      const code = ch.charCodeAt(0);
      if (ch === '"') {
        this.advance();
        return out;
      }
      if (code < 0x20) {
        throw this.fail(
          'Cannot parse HuJSON: a string holds a raw control character or line break; escape it, such as \\n',
        );
      }
      if (ch === '\\') {
        out += this.escape();
        continue;
      }
      out += ch;
      this.advance();
    }
  }

  private escape(): string {
    this.advance(); // backslash
    const ch = this.text[this.index] ?? '';
    const simple: Record<string, string> = {
      '"': '"',
      '\\': '\\',
      '/': '/',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
    };
    const mapped = simple[ch];
    if (mapped !== undefined) {
      this.advance();
      return mapped;
    }
    if (ch === 'u') {
      const hex = this.text.slice(this.index + 1, this.index + 5);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
        throw this.fail('Cannot parse HuJSON: \\u must be followed by four hex digits');
      }
      for (let i = 0; i < 5; i++) this.advance();
      return String.fromCharCode(parseInt(hex, 16));
    }
    throw this.fail(
      `Cannot parse HuJSON: unknown escape "\\${ch}" in a string; valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`,
    );
  }

  private number(): number {
    const rest = this.text.slice(this.index);
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest);
    if (match === null || /^[0-9A-Za-z.]/.test(rest.slice(match[0].length))) {
      const word = /^[-+0-9A-Za-z.]*/.exec(rest)?.[0] ?? '';
      throw this.fail(
        `Cannot parse HuJSON: "${word}" is not a JSON number; write digits without leading zeros, such as 22 or 1.5`,
      );
    }
    for (let i = 0; i < match[0].length; i++) this.advance();
    return Number(match[0]);
  }
}
