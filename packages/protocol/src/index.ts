export * from './constants.js';
export * from './schemas.js';
export type * from './types.js';
