/** The document type declaration of an XML text, if it has one before the root element. */
export interface XmlDoctype {
  /** The declaration as written, `<!DOCTYPE` to its closing `>`. */
  readonly text: string;
  /** Line of `<!DOCTYPE`, counting from 1. */
  readonly line: number;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** End of the declaration: its `>`, after the internal subset `[...]` when there is one. */
function doctypeEnd(text: string, from: number): number {
  const close = text.indexOf('>', from);
  const open = text.indexOf('[', from);
  if (open < 0 || (close >= 0 && close < open)) return close;

  const subsetEnd = text.indexOf(']', open);
  return subsetEnd < 0 ? -1 : text.indexOf('>', subsetEnd);
}

/**
 * Finds the DOCTYPE in the prolog of an XML text: whatever precedes the root element,
 * past the XML declaration, processing instructions, comments and blanks. Reads no DTD
 * and resolves nothing.
 *
 * @returns The declaration, or undefined when the prolog has none or cannot be scanned
 *   (the XML parser reports that).
 */
export function findDoctype(text: string): XmlDoctype | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) {
      i = text.indexOf('?>', i);
      if (i < 0) return undefined;
      i += 2;
    } else if (text.startsWith('<!--', i)) {
      i = text.indexOf('-->', i);
      if (i < 0) return undefined;
      i += 3;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      const end = doctypeEnd(text, i);
      const declaration = end < 0 ? text.slice(i) : text.slice(i, end + 1);
      return { text: declaration, line: lineAt(text, i) };
    } else {
      return undefined;
    }
  }
}

/** Whether a DOCTYPE declares entities (the door to XXE and entity-expansion attacks). */
export function declaresEntities(doctype: XmlDoctype): boolean {
  return doctype.text.includes('<!ENTITY');
}

const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;
const PREDEFINED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/**
 * Replaces XML's five predefined entities and character references in a value read with
 * entity processing off. Any other `&name;` stays as written: nothing is looked up.
 */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, hex?: string, decimal?: string, name?: string) => {
    if (name !== undefined) return PREDEFINED[name] ?? whole;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
