/** Columns and enums the tables share. The enums are the lists of domain/lists.ts. */
import { customType, pgEnum, timestamp } from 'drizzle-orm/pg-core';
import { ASSIGNMENT_ROLES, DELIVERY_MODES, NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES, ROLES } from '../../domain/lists.js';

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

// The enums are the lists of domain/lists.ts; drizzle-kit turns a new value there into a migration.
export const roleEnum = pgEnum('role', ROLES);
export const assignmentRoleEnum = pgEnum('assignment_role', ASSIGNMENT_ROLES);
export const deliveryEnum = pgEnum('notification_delivery', DELIVERY_MODES);
export const channelEnum = pgEnum('notification_channel', NOTIFICATION_CHANNELS);
export const notificationStatusEnum = pgEnum('notification_status', NOTIFICATION_STATUSES);

/** Raw bytes, for attachment chunks. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
