export { createWebhooksRouter } from './api.js';
export { DEFAULT_WEBHOOK_OPTIONS, Webhooks, webhookSignature, WEBHOOK_JOB, type WebhookOptions } from './service.js';
export { webhooksAllowPrivateFrom } from './target.js';
