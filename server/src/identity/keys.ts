/**
 * Strong identity keys: two handles with a key in common belong to the same person.
 *
 * Phones: WhatsApp ids of some LATAM mobiles differ from the E.164 number a CRM holds, and
 * libphonenumber-js does not reconcile them, so the key applies country rules to the digits:
 * Mexico `521`+10 ↔ `52`+10 (drop the 1), Argentina `549`+10 ↔ `54`+10 (drop the 9, for matching
 * only: a 54 number without 9 may be a landline, so the number we send to is never rewritten),
 * Brazil: a 10-digit national number whose local part starts 6–9 gets its ninth digit.
 * Emails: trimmed and lowercased.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export type MatchKey = `phone:+${string}` | `email:${string}`;

const EMAIL = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]{2,}$/;

/** The digits of an international number: `+52 55 1234-5678`, `5215512345678`, `00 52…`. */
function internationalDigits(raw: string): string | null {
  const trimmed = raw.trim().replace(/^00/, '+');
  const digits = trimmed.replace(/[\s().-]/g, '').replace(/^\+/, '');
  if (!/^\d{8,15}$/.test(digits)) return null;
  // Without a + the number must already carry its country code (WhatsApp ids do).
  return digits;
}

/** The digits the key is made of, after the country rules. */
function matchDigits(digits: string): string {
  if (digits.length === 13 && digits.startsWith('521')) return `52${digits.slice(3)}`;
  if (digits.length === 13 && digits.startsWith('549')) return `54${digits.slice(3)}`;
  if (digits.length === 12 && digits.startsWith('55') && /[6-9]/.test(digits[4] ?? '')) {
    return `55${digits.slice(2, 4)}9${digits.slice(4)}`;
  }
  return digits;
}

/**
 * The number in E.164 for display and matching (`+525512345678` for the WhatsApp id
 * `5215512345678`), or null when it is not a plausible international number.
 */
export function canonicalPhone(raw: string): string | null {
  const digits = internationalDigits(raw);
  if (!digits) return null;
  // Mexico's mobile `1` is gone from the numbering plan: the real number has no 1.
  const national = digits.length === 13 && digits.startsWith('521') ? `52${digits.slice(3)}` : digits;
  const parsed = parsePhoneNumberFromString(`+${national}`);
  if (parsed?.isPossible()) return parsed.number;
  return null;
}

export function phoneKey(raw: string): MatchKey | null {
  const digits = internationalDigits(raw);
  if (!digits) return null;
  const parsed = parsePhoneNumberFromString(`+${matchDigits(digits)}`);
  if (!parsed?.isPossible()) return null;
  return `phone:+${matchDigits(digits)}`;
}

/**
 * The stored values a key stands for, in the forms other parts of Charla keep on a contact (the
 * lowercased email; the phone in E.164 as libphonenumber-js writes it, with its LATAM variants).
 */
export function fieldValuesOf(key: MatchKey): { emails: string[]; phones: string[] } {
  if (key.startsWith('email:')) return { emails: [key.slice('email:'.length)], phones: [] };
  const digits = key.slice('phone:+'.length);
  const phones = [`+${digits}`];
  if (digits.length === 12 && digits.startsWith('52')) phones.push(`+521${digits.slice(2)}`);
  if (digits.length === 12 && digits.startsWith('54')) phones.push(`+549${digits.slice(2)}`);
  if (digits.length === 13 && digits.startsWith('55') && digits[4] === '9') phones.push(`+55${digits.slice(2, 4)}${digits.slice(5)}`);
  return { emails: [], phones };
}

export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : null;
}

export function emailKey(raw: string): MatchKey | null {
  const email = normalizeEmail(raw);
  return email ? `email:${email}` : null;
}

/** Email addresses and phone numbers a customer wrote in a message. */
export function capturedContactDetails(text: string): { emails: string[]; phones: string[] } {
  const emails = [...text.matchAll(/[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[A-Za-z]{2,}/g)]
    .map((match) => normalizeEmail(match[0].replace(/[.!?]+$/, '')))
    .filter((email): email is string => email !== null);
  const phones = [...text.matchAll(/\+?\d[\d\s().-]{8,18}\d/g)]
    .map((match) => {
      const candidate = match[0].trim();
      // A bare local number is ambiguous: only numbers written with their country (+) count.
      if (!candidate.startsWith('+')) return null;
      const phone = canonicalPhone(candidate);
      return phone && parsePhoneNumberFromString(phone)?.isValid() ? phone : null;
    })
    .filter((phone): phone is string => phone !== null);
  return { emails: [...new Set(emails)], phones: [...new Set(phones)] };
}

/**
 * Free-mail and disposable domains: an address there says nothing about the person's company.
 */
const PERSONAL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'hotmail.com', 'hotmail.es', 'hotmail.com.ar', 'hotmail.com.br', 'outlook.com',
  'outlook.es', 'live.com', 'live.com.mx', 'msn.com', 'yahoo.com', 'yahoo.com.mx', 'yahoo.com.ar', 'yahoo.com.br',
  'yahoo.es', 'ymail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com',
  'gmx.net', 'mail.com', 'zoho.com', 'yandex.com', 'yandex.ru', 'uol.com.br', 'bol.com.br', 'terra.com.br',
  'prodigy.net.mx', 'fastmail.com', 'hey.com', 'tutanota.com', 'qq.com', '163.com',
  // disposable
  'mailinator.com', 'guerrillamail.com', '10minutemail.com', 'tempmail.com', 'temp-mail.org', 'yopmail.com',
  'trashmail.com', 'sharklasers.com', 'getnada.com', 'dispostable.com', 'maildrop.cc', 'throwawaymail.com',
]);

/** The company domain of an email address, or null for free-mail and disposable addresses. */
export function businessDomain(email: string): string | null {
  const domain = normalizeEmail(email)?.split('@')[1];
  if (!domain || PERSONAL_DOMAINS.has(domain)) return null;
  return domain;
}

/** A company name from its domain: `acme-foods.com.mx` → `Acme Foods`. */
export function companyNameOf(domain: string): string {
  const label = domain.split('.')[0] ?? domain;
  return label
    .split(/[-_]/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}
