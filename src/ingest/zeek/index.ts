/**
 * Zeek conn.log (ASCII/TSV, gzip-compressed or not) read into flows.
 *
 * @module
 */
export { readZeekConnLog } from './read-zeek-conn-log.js';
export { isZeekConnLog } from './sniff.js';
