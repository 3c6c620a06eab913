/** Notifications: an agent was mentioned in a note or given a conversation. */
import { z } from 'zod';

const id = z.string().min(1).max(64);

/** `webhook_paused`: a webhook subscription failed for too long and was paused (admins; no conversation). */
export const NOTIFICATION_KINDS = ['mention', 'assignment', 'webhook_paused'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const notificationSchema = z.object({
  id,
  workspaceId: id,
  /** The agent notified. */
  agentId: id,
  kind: z.enum(NOTIFICATION_KINDS),
  /** The conversation it is about; null for workspace matters (a paused webhook). */
  conversationId: id.nullable(),
  /** The note that mentions the agent (mentions only). */
  messageId: id.nullable(),
  /** Who did it (null when a rule did). */
  actorId: id.nullable(),
  actorName: z.string().nullable(),
  /** A short text to show (the note, or the customer's last message). */
  preview: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationsReadRequestSchema = z
  .object({
    /** The notifications to mark read; all of the agent's when absent. */
    ids: z.array(id).min(1).max(200).optional(),
  })
  .strict();
export type NotificationsReadRequest = z.input<typeof notificationsReadRequestSchema>;

export interface NotificationList {
  /** The latest notifications, newest first. */
  notifications: Notification[];
  unread: number;
}

export interface NotificationCreatedData {
  notification: Notification;
}

export interface NotificationsReadData {
  agentId: string;
  /** Null: every notification of the agent. */
  ids: string[] | null;
  readAt: string;
}
