/**
 * External references: the ids a contact, company or deal has in the host's other systems
 * (`{"hubspot": "123", "sap": "C-0042"}`), one per system, each held by one record of a kind.
 */
import { z } from 'zod';

export const EXTERNAL_ID_SYSTEMS_MAX = 20;

/** A system's name: lowercase letters, digits, `_` and `-` (`hubspot`, `sap`, `shopify`). */
export const externalSystemSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'externalIds: name each system with 1–40 lowercase letters, digits, "_" or "-", starting with a letter');

export const externalIdValueSchema = z
  .string()
  .trim()
  .min(1, 'externalIds: an id cannot be empty')
  .max(200, 'externalIds: an id has at most 200 characters')
  .refine((value) => !/[\u0000-\u001f]/.test(value), 'externalIds: an id has no control characters');

/** Sets ids per system; `null` removes a system's id; systems not named stay as they are. */
export const externalIdsPatchSchema = z
  .record(externalSystemSchema, externalIdValueSchema.nullable())
  .refine((value) => Object.keys(value).length <= EXTERNAL_ID_SYSTEMS_MAX, `externalIds: at most ${EXTERNAL_ID_SYSTEMS_MAX} systems`);

/** `system:id` as in `?externalId=hubspot:123`. */
export const externalIdQuerySchema = z
  .string()
  .max(241)
  .transform((value, context) => {
    const at = value.indexOf(':');
    const system = externalSystemSchema.safeParse(value.slice(0, Math.max(at, 0)));
    const id = externalIdValueSchema.safeParse(value.slice(at + 1));
    if (at < 1 || !system.success || !id.success) {
      context.addIssue({ code: 'custom', message: 'externalId: write it as system:id, e.g. hubspot:123' });
      return z.NEVER;
    }
    return { system: system.data, id: id.data };
  });

export type ExternalIds = Record<string, string>;
