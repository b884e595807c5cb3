// Every capability's tables, in one schema object for Drizzle's typed queries.
export * from '../org/tables.js';
export * from '../auth/tables.js';
export * from '../audit/tables.js';
export * from '../notify/tables.js';
export * from '../jobs/tables.js';
export * from '../catalog/tables.js';
export * from '../queue/tables.js';
export * from '../calendar/tables.js';
export * from '../cases/tables.js';
export * from '../agents/tables.js';
export * from '../staff/tables.js';
export * from '../reports/tables.js';
export * from '../feedback/tables.js';
export * from '../appointments/tables.js';
export { dataKeys } from '../shared/data-key.js';
export * from '../online/tables.js';
