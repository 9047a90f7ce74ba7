/**
 * The read model's schema, one module per area (db/schema/): drizzle-kit reads the tables and enums exported
 * here, and every other module imports the schema from this one.
 */
export { assignmentRoleEnum, channelEnum, deliveryEnum, notificationStatusEnum, roleEnum } from './schema/columns.js';
export * from './schema/people.js';
export * from './schema/directives.js';
export * from './schema/reorganisations.js';
export * from './schema/calendar.js';
export * from './schema/statistics.js';
export * from './schema/operations.js';
export * from './schema/attachments.js';
