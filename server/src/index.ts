export { createCharlaServer, type CharlaServer, type CharlaServerOptions } from './app.js';
export { CharlaFailure } from './failure.js';
export type { Logger } from './logger.js';
export { createWorkspace, type AgentSpec, type ProvisionedWorkspace } from './services/workspaces.js';
export { Store } from './store/index.js';
