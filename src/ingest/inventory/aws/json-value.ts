/** A JSON object as JSON.parse returns it, narrowed from unknown. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Narrows a parsed value to an object, or undefined for anything else. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** The objects of a parsed list; a missing list is empty and non-objects are left out. */
export function asObjects(value: unknown): JsonObject[] {
  if (!Array.isArray(value)) return [];
  return value.map(asObject).filter((item) => item !== undefined);
}

/** A non-empty string field, or undefined. */
export function stringField(node: JsonObject | undefined, name: string): string | undefined {
  const value = node?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** An integer field, or undefined. */
export function integerField(node: JsonObject | undefined, name: string): number | undefined {
  const value = node?.[name];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** The 1-based line of a character offset in a text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
