export { INVENTORY_CSV_FORMAT, isInventoryCsv, readInventoryCsv } from './inventory-csv.js';
export { NMAP_XML_FORMAT, isNmapXml, readNmapXml } from './nmap-xml.js';
export { createInventoryReport, rejectRecord } from './report.js';
export type { InventoryReport } from './report.js';
