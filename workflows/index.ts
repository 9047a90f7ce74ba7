// The worker's workflow bundle entry: every workflow the task queue serves is exported here.
export { agencyTransferWorkflow } from './agency-transfer.js';
export { blobCollectionWorkflow } from './blobs.js';
export { calendarReplanWorkflow } from './calendar-replan.js';
export { directiveWorkflow } from './directive.js';
export { dailyDigestWorkflow, notificationDeliveryWorkflow } from './notifications.js';
