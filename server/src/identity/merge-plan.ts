/**
 * How two contacts' values become one, decided before anything is written so that the preview
 * an agent confirms and the merge itself are the same plan. Nothing is dropped: the survivor keeps
 * its values (except a name whose source ranks lower), fills its empty fields, unites tags and
 * attributes, and every value that does not stay in its field is kept as a secondary identity
 * (emails, phones) or as an attribute named after its source.
 */
import type { Company, Contact, ExternalIds, MergeConflict, MergeField, NameSource } from '@charla/protocol';
import type { ContactFields } from '../store/index.js';
import { normalizeEmail, phoneKey } from './keys.js';

/** A typed name beats an imported one, which beats the AI's guess, which beats a channel's profile name. */
const NAME_RANK: Record<NameSource, number> = { agent: 5, visitor: 4, import: 3, ai: 2, profile: 0 };
/** Names written before sources were recorded: above a profile name (it may well be typed), below the rest. */
const UNKNOWN_NAME_RANK = 1;

/** How the attribute keeping a value says where it came from. */
const SOURCE_LABEL: Record<NameSource, string> = { agent: 'agent', visitor: 'visitor', import: 'import', ai: 'AI', profile: 'profile' };

export interface MergePlan {
  /** What the survivor's row becomes (only what changes). */
  fields: ContactFields;
  fills: MergeField[];
  conflicts: MergeConflict[];
  /** The merged contact's differing email and phone, kept as unverified identities of the survivor. */
  identities: Array<{ channel: 'email' | 'phone'; handle: string }>;
  /** Tags and attribute names the survivor gains. */
  tags: string[];
  attributes: string[];
  /** The survivor's ids in other systems after the merge, when it gains some. */
  externalIds?: ExternalIds;
}

function nameRank(source: NameSource | null | undefined): number {
  return source ? NAME_RANK[source] : UNKNOWN_NAME_RANK;
}

/** An attribute name for a value that could not stay in its field: `name (profile)`, `plan (Ana)`, numbered when taken. */
function freeAttributeName(attributes: Record<string, string>, base: string, value: string): string {
  if (attributes[base] === undefined || attributes[base] === value) return base;
  for (let n = 2; ; n += 1) {
    const name = `${base} ${n}`;
    if (attributes[name] === undefined || attributes[name] === value) return name;
  }
}

export function planMerge(
  survivor: Contact,
  merged: Contact,
  companies: { survivor: Company | null; merged: Company | null } = { survivor: null, merged: null },
): MergePlan {
  const plan: MergePlan = { fields: {}, fills: [], conflicts: [], identities: [], tags: [], attributes: [] };
  const attributes: Record<string, string> = { ...(survivor.attributes ?? {}) };
  const mergedLabel = merged.name ?? merged.email ?? merged.phone ?? merged.id;
  const keepAsAttribute = (
    field: MergeConflict['field'], attribute: string, survivorValue: string, mergedValue: string, label: string,
    resolution: MergeConflict['resolution'] = 'kept',
  ) => {
    const leaving = resolution === 'kept' ? mergedValue : survivorValue;
    const name = freeAttributeName(attributes, `${attribute} (${label})`, leaving);
    attributes[name] = leaving;
    plan.attributes.push(name);
    plan.conflicts.push({ field, survivorValue, mergedValue, resolution, keptIn: 'attribute', keptAs: name });
  };

  // The name: the better source wins; the other name stays as an attribute saying where it came from.
  if (!survivor.name && merged.name) {
    plan.fields.name = merged.name;
    plan.fields.nameSource = merged.nameSource ?? null;
    plan.fills.push('name');
  } else if (survivor.name && merged.name && survivor.name !== merged.name) {
    if (nameRank(merged.nameSource) > nameRank(survivor.nameSource)) {
      plan.fields.name = merged.name;
      plan.fields.nameSource = merged.nameSource ?? null;
      keepAsAttribute('name', 'name', survivor.name, merged.name, survivor.nameSource ? SOURCE_LABEL[survivor.nameSource] : 'previous', 'replaced');
    } else {
      keepAsAttribute('name', 'name', survivor.name, merged.name, merged.nameSource ? SOURCE_LABEL[merged.nameSource] : mergedLabel);
    }
  }

  // Email and phone are keys: a different one stays reachable as a secondary identity.
  const sameEmail = (a: string, b: string) => (normalizeEmail(a) ?? a) === (normalizeEmail(b) ?? b);
  const samePhone = (a: string, b: string) => (phoneKey(a) ?? a) === (phoneKey(b) ?? b);
  for (const [field, same] of [['email', sameEmail], ['phone', samePhone]] as const) {
    const mine = survivor[field];
    const theirs = merged[field];
    if (!theirs) continue;
    if (!mine) {
      plan.fields[field] = theirs;
      plan.fills.push(field);
    } else if (!same(mine, theirs)) {
      const handle = field === 'email' ? (normalizeEmail(theirs) ?? theirs) : theirs;
      plan.identities.push({ channel: field, handle });
      plan.conflicts.push({ field, survivorValue: mine, mergedValue: theirs, resolution: 'kept', keptIn: 'identity', keptAs: field });
    }
  }

  if (!survivor.avatarUrl && merged.avatarUrl) {
    plan.fields.avatarUrl = merged.avatarUrl;
    plan.fills.push('avatarUrl');
  } else if (survivor.avatarUrl && merged.avatarUrl && survivor.avatarUrl !== merged.avatarUrl) {
    keepAsAttribute('avatarUrl', 'avatar', survivor.avatarUrl, merged.avatarUrl, mergedLabel);
  }

  if (!survivor.companyId && merged.companyId) {
    plan.fields.companyId = merged.companyId;
    plan.fills.push('companyId');
  } else if (survivor.companyId && merged.companyId && survivor.companyId !== merged.companyId) {
    // The preview and the attribute speak of the company by its name; the field keeps the survivor's.
    keepAsAttribute('companyId', 'company', companies.survivor?.name ?? survivor.companyId, companies.merged?.name ?? merged.companyId, mergedLabel);
  }

  // Attributes unite; where both have one with different values, the merged contact's is kept beside it.
  for (const [key, value] of Object.entries(merged.attributes ?? {})) {
    const mine = attributes[key];
    if (mine === undefined) {
      attributes[key] = value;
      plan.attributes.push(key);
    } else if (mine !== value) {
      keepAsAttribute(`attributes.${key}`, key, mine, value, mergedLabel);
    }
  }

  // Ids in other systems: the survivor gains the systems it has no id in; where both have one,
  // the survivor keeps its own (one id per record and system) and the other stays as an attribute.
  const externalIds: ExternalIds = { ...(survivor.externalIds ?? {}) };
  let gainsIds = false;
  for (const [system, id] of Object.entries(merged.externalIds ?? {})) {
    const mine = externalIds[system];
    if (mine === undefined) {
      externalIds[system] = id;
      gainsIds = true;
    } else if (mine !== id) {
      keepAsAttribute(`externalIds.${system}`, `${system} id`, mine, id, mergedLabel);
    }
  }
  if (gainsIds) plan.externalIds = externalIds;
  if (plan.attributes.length > 0) plan.fields.attributes = attributes;

  const tags = survivor.tags ?? [];
  plan.tags = (merged.tags ?? []).filter((tag) => !tags.includes(tag));
  if (plan.tags.length > 0) plan.fields.tags = [...tags, ...plan.tags];
  // One person: if either of the two asked for no marketing, the one contact gets none.
  if (merged.marketingOptOut && !survivor.marketingOptOut) plan.fields.marketingOptOut = merged.marketingOptOut;
  return plan;
}
