export { readJsonRecords } from './records.js';
export type { JsonRecord, JsonRecordOptions } from './records.js';
export { headText, startsLikeJson } from './head.js';
export {
  addressAt,
  countAt,
  fieldError,
  isObject,
  lineOf,
  objectAt,
  parseTime,
  shown,
  stringAt,
  timeAt,
} from './fields.js';
export type { JsonObject } from './fields.js';
