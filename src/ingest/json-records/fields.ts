import { tryParseAddress } from '../../domain/index.js';
import type { Address } from '../../domain/index.js';

/** A JSON object as parsed, keys to unknown values. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Whether a parsed JSON value is an object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as it reads in a message: JSON, cut to 60 characters. */
export function shown(value: unknown): string {
  const text = value === undefined ? 'absent' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** The error a record reader throws for one bad field; the reader rejects the record with it. */
export function fieldError(path: string, value: unknown, expected: string): RangeError {
  return new RangeError(`field "${path}" is ${shown(value)}: expected ${expected}`);
}

/** The object at a key, or undefined when absent; a non-object is a field error. */
export function objectAt(record: JsonObject, key: string, path = key): JsonObject | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw fieldError(path, value, 'an object');
  return value;
}

/** A string at a key, or undefined when absent or empty; a non-string is a field error. */
export function stringAt(record: JsonObject, key: string, path = key): string | undefined {
  const value = record[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw fieldError(path, value, 'a string');
  return value;
}

/**
 * A whole number from 0 to max at a key, written as a JSON number or as a decimal string
 * (the proto3 JSON mapping writes 64-bit integers as strings); undefined when absent.
 */
export function countAt(
  record: JsonObject,
  key: string,
  max: number,
  path = key,
): number | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,16}$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(number) || number < 0 || number > max) {
    throw fieldError(path, value, `a whole number from 0 to ${max}`);
  }
  return number;
}

/**
 * A time at a key as milliseconds since the epoch: RFC 3339 text (any fraction of a
 * second, `Z` or an offset, also `+0000` as Suricata writes it); undefined when absent.
 */
export function timeAt(record: JsonObject, key: string, path = key): number | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' ? parseTime(value) : undefined;
  if (ms === undefined) throw fieldError(path, value, 'an RFC 3339 time like 2024-05-01T12:00:00Z');
  return ms;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/i;

/** Milliseconds since the epoch of an RFC 3339 time, or undefined when it is not one. */
export function parseTime(text: string): number | undefined {
  const match = RFC3339.exec(text.trim());
  if (!match) return undefined;
  const [, date, clock, fraction = '', zone = 'Z'] = match;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = fraction.length > 1 ? fraction.slice(1, 4).padEnd(3, '0') : '000';
  const value = Date.parse(`${date}T${clock}.${ms}${offset}`);
  return Number.isNaN(value) ? undefined : value;
}

/** An IP address at a key in canonical form; absent or not an address is a field error. */
export function addressAt(record: JsonObject, key: string, path = key): Address {
  const value = record[key];
  const address = typeof value === 'string' ? tryParseAddress(value) : undefined;
  if (address === undefined) throw fieldError(path, value, 'an IPv4 or IPv6 address');
  return address;
}

/**
 * The line of a text inside a value that starts on `firstLine`: the line of the first
 * place the needle occurs, or `firstLine` when it does not.
 */
export function lineOf(text: string, needle: string, firstLine: number): number {
  const at = text.indexOf(needle);
  if (at < 0) return firstLine;
  let line = firstLine;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}
