/**
 * Narrowing of Kubernetes objects, which arrive as `unknown`. Each helper names the field
 * path and the document's place when the shape is wrong.
 */
import type { Place } from '../../domain/index.js';
import { InputError } from '../../domain/index.js';

export type Json = Readonly<Record<string, unknown>>;

/** Where a value sits: the document and the field path inside it. */
export interface Where {
  readonly place: Place;
  readonly path: string;
}

export function at(where: Where, key: string | number): Where {
  const path = typeof key === 'number' ? `${where.path}[${key}]` : `${where.path}.${key}`;
  return { place: where.place, path };
}

/** Throws an InputError about the field at `where`. */
export function fail(where: Where, problem: string): never {
  throw new InputError(`Cannot read ${where.path.replace(/^\./, '')}: ${problem}`, where.place);
}

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object field; undefined when absent or null. */
export function optObject(value: unknown, where: Where): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJson(value)) fail(where, `expected an object, found ${describe(value)}`);
  return value;
}

export function object(value: unknown, where: Where): Json {
  return optObject(value, where) ?? {};
}

/** A list field; undefined when absent or null. */
export function optList(value: unknown, where: Where): readonly unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(where, `expected a list, found ${describe(value)}`);
  return value as readonly unknown[];
}

export function list(value: unknown, where: Where): readonly unknown[] {
  return optList(value, where) ?? [];
}

export function optString(value: unknown, where: Where): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(where, `expected a string, found ${describe(value)}`);
  return value;
}

export function optInteger(value: unknown, where: Where): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    fail(where, `expected an integer, found ${describe(value)}`);
  }
  return value;
}

/** A number or a name (`IntOrString`), as ports are written. */
export function optIntOrString(value: unknown, where: Where): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) {
    return value;
  }
  fail(where, `expected a port number or name, found ${describe(value)}`);
}

/** A map of string labels; numbers and booleans are refused as Kubernetes does. */
export function labels(value: unknown, where: Where): Readonly<Record<string, string>> {
  const obj = object(value, where);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj)) {
    if (v === null) {
      out[key] = '';
      continue;
    }
    if (typeof v !== 'string') fail(at(where, key), `expected a string, found ${describe(v)}`);
    out[key] = v;
  }
  return out;
}

export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
