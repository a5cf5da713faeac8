/** The directives at the top of a Zeek ASCII log that say how to read its rows. */
export interface ZeekHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path: string;
  /** Column names from `#fields`; empty until that line is read. */
  fields: string[];
  types: string[];
}

/** The header Zeek writes by default, before any directive changes it. */
export function createZeekHeader(): ZeekHeader {
  return {
    separator: '\t',
    setSeparator: ',',
    emptyField: '(empty)',
    unsetField: '-',
    path: '',
    fields: [],
    types: [],
  };
}

/**
 * Applies one `#` line to the header. `#separator` takes its value after a space, with
 * `\xHH` escapes; the other directives are split by the separator. `#open`, `#close`
 * and comments change nothing.
 */
export function applyZeekDirective(header: ZeekHeader, line: string): void {
  if (line.startsWith('#separator ')) {
    header.separator = unescapeZeek(line.slice('#separator '.length));
    return;
  }

  const parts = line.split(header.separator);
  const name = parts[0] ?? '';
  const value = parts.slice(1);
  switch (name) {
    case '#set_separator':
      header.setSeparator = unescapeZeek(value[0] ?? ',');
      return;
    case '#empty_field':
      header.emptyField = value[0] ?? '(empty)';
      return;
    case '#unset_field':
      header.unsetField = value[0] ?? '-';
      return;
    case '#path':
      header.path = value[0] ?? '';
      return;
    case '#fields':
      header.fields = value;
      header.types = [];
      return;
    case '#types':
      header.types = value;
      return;
    default:
      return;
  }
}

/** Replaces `\xHH` escapes (Zeek writes the tab separator as `\x09`). */
export function unescapeZeek(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}
