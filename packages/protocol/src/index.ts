export * from './constants.js';
export * from './schemas.js';
export * from './channels.js';
export * from './deals.js';
export * from './widget.js';
export * from './canned.js';
export * from './notifications.js';
export * from './contacts.js';
export type * from './types.js';
