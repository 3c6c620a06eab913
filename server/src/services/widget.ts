/**
 * The webchat widget's workspace settings, identity verification (`Charla.identify`), business
 * hours, and the pre-chat form.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  BusinessCalendar, DEFAULT_WIDGET_SETTINGS, PRE_CHAT_FIELDS, widgetSettingsSchema,
  type Agent, type Contact, type PreChatAnswers, type VisitorIdentity, type WeeklyHours, type WidgetAvailability, type WidgetConfig,
  type WidgetSettings, type WidgetSettingsPatch,
} from '@charla/protocol';
import { CharlaFailure } from '../failure.js';
import { newId, newToken, nowIso } from '../ids.js';
import { siteUserHandle, type Store, type StoreScope } from '../store/index.js';
import type { Visitor } from './actors.js';
import { contactChanged, conversationChanged, requireContact } from './changes.js';
import { newContact } from './entities.js';

/** HMAC-SHA256(secret, id) in lowercase hex: what a site's backend computes for `identify`. */
export function identityHash(secret: string, id: string): string {
  return createHmac('sha256', secret).update(id, 'utf8').digest('hex');
}

function hashMatches(secret: string, id: string, hash: string): boolean {
  const expected = Buffer.from(identityHash(secret, id), 'hex');
  const given = Buffer.from(hash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Stored settings completed with today's defaults (settings added later read as their default). */
function parseSettings(json: string): WidgetSettings {
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    stored = {};
  }
  const merged = { ...DEFAULT_WIDGET_SETTINGS, ...(typeof stored === 'object' && stored ? stored : {}) };
  const parsed = widgetSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_WIDGET_SETTINGS;
}

/** The workspace's secret and settings; the row (and a fresh secret) is made on first use. */
export async function widgetSettingsOf(
  scope: StoreScope,
  workspaceId: string,
): Promise<{ secret: string; settings: WidgetSettings }> {
  let row = await scope.widget.get(workspaceId);
  if (!row) {
    await scope.widget.insertIfMissing(workspaceId, { secret: newToken(), settings: JSON.stringify(DEFAULT_WIDGET_SETTINGS) }, nowIso());
    row = await scope.widget.get(workspaceId);
    if (!row) throw new CharlaFailure('not_found', 'Workspace not found');
  }
  return { secret: row.secret, settings: parseSettings(row.settings) };
}

async function configOf(scope: StoreScope, workspaceId: string): Promise<WidgetConfig> {
  const workspace = await scope.workspaces.byId(workspaceId);
  if (!workspace) throw new CharlaFailure('not_found', 'Workspace not found');
  return { widgetKey: workspace.widgetKey, ...(await widgetSettingsOf(scope, workspaceId)) };
}

/** `GET /api/v1/workspace/widget` (admins). */
export function getWidgetConfig(store: Store, admin: Agent): Promise<WidgetConfig> {
  return configOf(store, admin.workspaceId);
}

async function audited(scope: StoreScope, admin: Agent, action: string, data: Record<string, unknown>): Promise<void> {
  await scope.audit.record({
    workspaceId: admin.workspaceId,
    actorKind: 'agent',
    actorId: admin.id,
    action,
    targetKind: 'workspace',
    targetId: admin.workspaceId,
    data,
  });
}

/** `PATCH /api/v1/workspace/widget` (admins): changes the given settings only. */
export function updateWidgetSettings(store: Store, admin: Agent, patch: WidgetSettingsPatch): Promise<WidgetConfig> {
  return store.transaction(async (scope) => {
    const { settings } = await widgetSettingsOf(scope, admin.workspaceId);
    const next = widgetSettingsSchema.parse({ ...settings, ...patch });
    await scope.widget.update(admin.workspaceId, { settings: JSON.stringify(next) }, nowIso());
    await audited(scope, admin, 'widget.settings_update', { fields: Object.keys(patch) });
    return configOf(scope, admin.workspaceId);
  });
}

/** `POST /api/v1/workspace/widget/secret` (admins): a new secret; hashes made with the old one stop verifying. */
export function rotateWidgetSecret(store: Store, admin: Agent): Promise<WidgetConfig> {
  return store.transaction(async (scope) => {
    await widgetSettingsOf(scope, admin.workspaceId);
    await scope.widget.update(admin.workspaceId, { secret: newToken() }, nowIso());
    await audited(scope, admin, 'widget.secret_rotate', {});
    return configOf(scope, admin.workspaceId);
  });
}

/** The contact a visitor session speaks for now (identify may have moved it to another contact). */
export async function currentVisitor(store: StoreScope, visitor: Visitor): Promise<Visitor> {
  const contactId = await store.widget.visitorContactId(visitor.workspaceId, visitor.id);
  return contactId && contactId !== visitor.contactId ? { ...visitor, contactId } : visitor;
}

type Details = Partial<Pick<Contact, 'name' | 'email' | 'phone'>>;

function detailsOf(identity: PreChatAnswers): Details {
  const details: Details = {};
  if (identity.name !== undefined) details.name = identity.name;
  if (identity.email !== undefined) details.email = identity.email;
  if (identity.phone !== undefined) details.phone = identity.phone;
  return details;
}

/**
 * Writes `details` on the contact: all of them, or with `onlyEmpty` only where the contact has
 * nothing yet. Whether anything changed (the caller then logs the contact).
 */
async function describeContact(scope: StoreScope, contact: Contact, details: Details, onlyEmpty: boolean): Promise<boolean> {
  const fields: Details = {};
  for (const key of ['name', 'email', 'phone'] as const) {
    const value = details[key];
    if (value !== undefined && value !== contact[key] && (!onlyEmpty || contact[key] === null)) fields[key] = value;
  }
  if (Object.keys(fields).length === 0) return false;
  await scope.contacts.update(contact.workspaceId, contact.id, fields, nowIso());
  return true;
}

/** Logs the contact as it is now (agents' views update). */
async function logContact(scope: StoreScope, workspaceId: string, contactId: string): Promise<void> {
  contactChanged(scope, await requireContact(scope, workspaceId, contactId));
}

export interface IdentifyResult {
  verified: boolean;
  /** The visitor now speaks for another contact: their sessions must start again. */
  linked: boolean;
  /** The contact the visitor spoke for before (to tell its other sessions). */
  previousContactId: string;
}

/**
 * `Charla.identify`. With an id and its valid hash the visitor becomes the contact that has that
 * site user id (or, when the site's ids are emails, the contact with that email, whatever channel
 * it came from), bringing along what they wrote anonymously; with no such contact their own
 * contact takes the id. Without a valid hash nothing links: the details only fill in the
 * visitor's own contact where it is blank.
 * A hash that does not match is refused, and so is an id without one when the workspace
 * requires verification.
 */
export async function identifyVisitor(store: Store, visitor: Visitor, identity: VisitorIdentity): Promise<IdentifyResult> {
  return store.transaction(async (scope) => {
    const ws = visitor.workspaceId;
    const { secret, settings } = await widgetSettingsOf(scope, ws);
    const { id: userId, hash } = identity;
    if (userId !== undefined && hash !== undefined && !hashMatches(secret, userId, hash)) {
      throw new CharlaFailure('forbidden', "hash: It does not match the id; compute HMAC-SHA256(workspace widget secret, id) on your server");
    }
    if (userId !== undefined && hash === undefined && settings.requireVerifiedIdentity) {
      throw new CharlaFailure('forbidden', 'hash: This workspace requires identify() to carry the hash of the id');
    }
    const details = detailsOf(identity);
    const previous = await currentVisitor(scope, visitor);
    const current = await requireContact(scope, ws, previous.contactId);
    const unchanged: IdentifyResult = { verified: userId !== undefined, linked: false, previousContactId: current.id };
    if (userId === undefined || hash === undefined) {
      if (await describeContact(scope, current, details, true)) await logContact(scope, ws, current.id);
      return { ...unchanged, verified: false };
    }

    const handle = siteUserHandle(userId);
    // Only what the hash signs may link: the id, or the email when the site's id is the email.
    // An email or phone sent beside another id is the site's word, unsigned: it never links.
    const signedEmail = z.email().safeParse(userId);
    const known =
      (await scope.widget.contactIdByHandle(ws, 'webchat', handle)) ??
      (signedEmail.success ? await scope.widget.contactIdByEmail(ws, signedEmail.data) : undefined);
    const anonymous = !(await scope.widget.hasSiteUser(current.id));
    /** Records the site user id on the contact; whether it was new. */
    const addHandle = async (contactId: string) => {
      if ((await scope.widget.contactIdByHandle(ws, 'webchat', handle)) !== undefined) return false;
      await scope.contacts.insertIdentity(ws, { id: newId('idn'), contactId, channel: 'webchat', handle, verified: true });
      return true;
    };

    let targetId: string;
    if (known === current.id || (known === undefined && anonymous)) {
      // Already that contact, or an anonymous visitor the business did not know: they keep their contact.
      // Sites identify on every page: log the contact only when this told something new.
      const added = await addHandle(current.id);
      if ((await describeContact(scope, await requireContact(scope, ws, current.id), details, false)) || added) {
        await logContact(scope, ws, current.id);
      }
      return unchanged;
    } else if (known === undefined) {
      // Another user signs in on a device where someone else was identified: a new contact.
      const contact = newContact({ workspaceId: ws, identities: [{ channel: 'webchat', handle }] });
      await scope.contacts.insert(contact);
      targetId = contact.id;
    } else {
      targetId = known;
      await addHandle(targetId);
    }

    if (anonymous) {
      // What they wrote before signing in becomes the known contact's; the anonymous one goes.
      const moved = await scope.conversations.idsOfContact(ws, current.id);
      // Everything of the anonymous contact moves (deals, tasks, purchases… of any module too).
      await scope.identity.moveContactRows(ws, current.id, targetId);
      await scope.contacts.delete(ws, current.id);
      scope.events.append(ws, {
        type: 'contact.deleted',
        // Routed to agents only: the visitor's sockets are told to start over, not closed.
        contactId: null,
        conversationId: null,
        visibility: 'agents',
        data: { contactId: current.id, conversationIds: [] },
      });
      const target = await requireContact(scope, ws, targetId);
      for (const conversationId of moved) {
        const conversation = await scope.conversations.get(ws, conversationId);
        if (conversation) await conversationChanged(scope, conversation, target);
      }
    } else {
      await scope.widget.linkVisitor(ws, visitor.id, targetId);
    }
    const target = await requireContact(scope, ws, targetId);
    await describeContact(scope, target, details, false);
    await logContact(scope, ws, targetId);
    await scope.audit.record({
      workspaceId: ws,
      actorKind: 'visitor',
      actorId: visitor.id,
      action: 'visitor.identify',
      targetKind: 'contact',
      targetId,
      data: { previousContactId: current.id, merged: anonymous },
    });
    return { verified: true, linked: true, previousContactId: current.id };
  });
}

/** The workspace's week as business-time calculations take it (null periods: always open). */
export function weeklyHoursOf(settings: Pick<WidgetSettings, 'timezone' | 'businessHours'>): WeeklyHours {
  return { timezone: settings.timezone, periods: settings.businessHours };
}

/** Whether `at` falls in one of the weekly opening periods, read in the workspace's time zone. */
export function withinBusinessHours(settings: Pick<WidgetSettings, 'timezone' | 'businessHours'>, at = new Date()): boolean {
  return new BusinessCalendar(weeklyHoursOf(settings)).isOpen(at.getTime());
}

export function availabilityOf(settings: WidgetSettings, agentsOnline: boolean, at = new Date()): WidgetAvailability {
  return {
    agentsOnline,
    withinHours: withinBusinessHours(settings, at),
    hideWhenOffline: settings.hideWhenOffline,
    preChat: settings.preChat,
  };
}

/**
 * The pre-chat form's answers: every field the workspace requires must be there, fields it does
 * not ask are refused. They describe the visitor's own contact (never link to another).
 */
export async function submitPreChat(store: Store, visitor: Visitor, answers: PreChatAnswers): Promise<{ ok: true }> {
  const { settings } = await widgetSettingsOf(store, visitor.workspaceId);
  const issues: Array<{ path: string; message: string }> = [];
  for (const field of PRE_CHAT_FIELDS) {
    const mode = settings.preChat[field];
    if (mode === 'required' && answers[field] === undefined) issues.push({ path: field, message: 'Required' });
    if (mode === 'off' && answers[field] !== undefined) issues.push({ path: field, message: 'This form does not ask for it' });
  }
  if (issues.length > 0) {
    throw new CharlaFailure('invalid_payload', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), { issues });
  }
  await store.transaction(async (scope) => {
    const { contactId } = await currentVisitor(scope, visitor);
    // A contact the site vouched for keeps what the site said; the form only fills blanks.
    const vouched = await scope.widget.hasSiteUser(contactId);
    if (await describeContact(scope, await requireContact(scope, visitor.workspaceId, contactId), detailsOf(answers), vouched)) {
      await logContact(scope, visitor.workspaceId, contactId);
    }
  });
  return { ok: true };
}
