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
import { CHARLA, readingCountry, settleKeys } from '../identity/claim.js';
import { readPhone } from '../identity/keys.js';
import { hashToken, newId, newToken, nowIso } from '../ids.js';
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

/** The visitor session as it is now, read in the caller's transaction (identify may have changed it). */
export async function currentVisitor(store: StoreScope, visitor: Visitor): Promise<Visitor> {
  const session = await store.widget.visitorSession(visitor.workspaceId, visitor.id);
  if (!session) throw new CharlaFailure('unauthorized', 'This visitor session has ended; connect again');
  return { ...visitor, contactId: session.contactId, siteUser: session.siteUser };
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
 * nothing yet. A phone is read in the contact's country and stored in E.164 (one that is no valid
 * number is refused). The email and phone go through the one path of keys: another contact
 * holding one is the same person for the agents, and the two become one (what a visitor session
 * sees does not change: it is its own conversations). Returns the contact it ends as, logged, or
 * null when nothing changed.
 */
async function describeContact(scope: StoreScope, contact: Contact, details: Details, onlyEmpty: boolean): Promise<Contact | null> {
  const fields: Details = {};
  for (const key of ['name', 'email', 'phone'] as const) {
    const value = details[key];
    if (value !== undefined && value !== contact[key] && (!onlyEmpty || contact[key] === null)) fields[key] = value;
  }
  if (fields.phone) {
    const country = await readingCountry(scope, contact);
    const phone = readPhone(fields.phone, country);
    if (!phone) throw new CharlaFailure('invalid_payload', `phone: Not a valid phone number of ${country}; write it with its country code, e.g. +52 55 1234 5678`);
    if (phone === contact.phone) delete fields.phone;
    else fields.phone = phone;
  }
  if (Object.keys(fields).length === 0) return null;
  await scope.contacts.update(contact.workspaceId, contact.id, fields, nowIso());
  return (await settleKeys(scope, contact.workspaceId, contact.id, { actor: CHARLA, how: 'given in the webchat', via: 'webchat' })).contact;
}

/** Logs the contact as it is now (agents' views update). */
async function logContact(scope: StoreScope, workspaceId: string, contactId: string): Promise<void> {
  contactChanged(scope, await requireContact(scope, workspaceId, contactId));
}

export interface IdentifyResult {
  verified: boolean;
  /** The visitor now speaks for another contact. */
  linked: boolean;
  /**
   * The session the visitor continues as, when identify proved a site user it had not proved:
   * it has a new token (the one the visitor held so far no longer opens it) and expires when
   * unused. Other connections of the previous session must start again.
   */
  session?: Visitor;
}

/**
 * `Charla.identify`. With an id and its valid hash the visitor's session proves that site user:
 * it speaks for the contact that has that site user id (or, when the site's ids are emails, the
 * contact whose email is verified), bringing along what they wrote anonymously; with no such
 * contact their own contact takes the id. An anonymous session becomes the proven one under a
 * new token; a session that had proved another user is left as it was, and a new one starts
 * (the conversations of one user never follow the device to the next).
 * Without a valid hash nothing links: the details only fill in the visitor's own contact where
 * it is blank. A hash that does not match is refused, and so is an id without one when the
 * workspace requires verification.
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
    if (userId === undefined || hash === undefined) {
      await describeContact(scope, current, details, true);
      return { verified: false, linked: false };
    }

    // Only what the hash signs may link: the id, or the email when the site's id is the email
    // (one user whatever its case). An email or phone sent beside another id is the site's word,
    // unsigned: it never links.
    const signedEmail = z.email().safeParse(userId);
    const siteUser = signedEmail.success ? signedEmail.data.trim().toLowerCase() : userId;
    const handle = siteUserHandle(siteUser);
    /** Records the site user id on the contact; whether it was new. */
    const addHandle = async (contactId: string) => {
      if ((await scope.widget.contactIdByHandle(ws, 'webchat', handle)) !== undefined) return false;
      await scope.contacts.insertIdentity(ws, { id: newId('idn'), contactId, channel: 'webchat', handle, verified: true });
      return true;
    };
    if (previous.siteUser === siteUser) {
      // Sites identify on every page: log the contact only when this told something new.
      const added = await addHandle(current.id);
      if (!(await describeContact(scope, current, details, false)) && added) await logContact(scope, ws, current.id);
      return { verified: true, linked: false };
    }

    const known =
      (await scope.widget.contactIdByHandle(ws, 'webchat', handle)) ??
      (signedEmail.success ? await scope.widget.contactIdByVerifiedEmail(ws, siteUser) : undefined);
    const anonymous = previous.siteUser === null;

    let targetId: string;
    if (known === current.id || (known === undefined && anonymous)) {
      // An anonymous visitor the business did not know (or already this contact) keeps their contact.
      targetId = current.id;
      await addHandle(targetId);
    } else if (known === undefined) {
      // Another user signs in on a device where someone else was identified: a new contact.
      const contact = newContact({ workspaceId: ws, identities: [{ channel: 'webchat', handle }] });
      await scope.contacts.insert(contact);
      targetId = contact.id;
    } else {
      targetId = known;
      await addHandle(targetId);
    }

    const token = newToken();
    const now = nowIso();
    let session: Visitor;
    if (anonymous) {
      session = { ...previous, contactId: targetId, siteUser, token };
      if (targetId !== current.id) await bringAlong(scope, ws, current.id, targetId);
      await scope.widget.proveSiteUser(ws, previous.id, { siteUser, contactId: targetId, tokenHash: hashToken(token) }, now);
    } else {
      session = { id: newId('vis'), workspaceId: ws, contactId: targetId, siteUser, token };
      await scope.workspaces.insertVisitor({ ...session, activeAt: now }, hashToken(token), now);
    }
    const described = await describeContact(scope, await requireContact(scope, ws, targetId), details, false);
    if (described) session = { ...session, contactId: described.id };
    else await logContact(scope, ws, targetId);
    await scope.audit.record({
      workspaceId: ws,
      actorKind: 'visitor',
      actorId: session.id,
      action: 'visitor.identify',
      targetKind: 'contact',
      targetId: session.contactId,
      data: { previousContactId: current.id, previousVisitorId: previous.id, merged: anonymous && targetId !== current.id },
    });
    return { verified: true, linked: session.contactId !== current.id, session };
  });
}

/**
 * What an anonymous visitor wrote before signing in becomes the known contact's (deals, tasks,
 * purchases… of any module too, and the visitor's session); the anonymous contact goes.
 */
async function bringAlong(scope: StoreScope, workspaceId: string, anonymousId: string, targetId: string): Promise<void> {
  const moved = await scope.conversations.idsOfContact(workspaceId, anonymousId);
  await scope.merges.moveContactRows(workspaceId, anonymousId, targetId);
  await scope.contacts.delete(workspaceId, anonymousId);
  scope.events.append(workspaceId, {
    type: 'contact.deleted',
    // Routed to agents only: the visitor's connections are told to start over, not closed.
    contactId: null,
    conversationId: null,
    visibility: 'agents',
    data: { contactId: anonymousId, conversationIds: [] },
  });
  const target = await requireContact(scope, workspaceId, targetId);
  for (const conversationId of moved) {
    const conversation = await scope.conversations.get(workspaceId, conversationId);
    if (conversation) await conversationChanged(scope, conversation, target);
  }
}

/**
 * `profile.update`: details the visitor types about themselves. A workspace that requires
 * verified identities takes who a visitor is only from its site's signed identify().
 */
export async function assertSelfDescriptionAllowed(store: StoreScope, workspaceId: string): Promise<void> {
  const { settings } = await widgetSettingsOf(store, workspaceId);
  if (settings.requireVerifiedIdentity) {
    throw new CharlaFailure('forbidden', 'This workspace learns who visitors are only from identify() with a hash');
  }
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
    color: settings.color,
    greeting: settings.greeting,
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
    await describeContact(scope, await requireContact(scope, visitor.workspaceId, contactId), detailsOf(answers), vouched);
  });
  return { ok: true };
}
