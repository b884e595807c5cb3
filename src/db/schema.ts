// Every capability's tables, in one schema object for Drizzle's typed queries.
export * from '../org/tables.js';
export * from '../auth/tables.js';
export * from '../audit/tables.js';
