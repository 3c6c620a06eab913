/**
 * Strong identity keys: two handles with a key in common belong to the same person.
 *
 * Phones: WhatsApp ids of some LATAM mobiles differ from the E.164 number a CRM holds, and
 * libphonenumber-js does not reconcile them, so the key applies country rules to the digits:
 * Mexico `521`+10 ↔ `52`+10 (drop the 1), Argentina `549`+10 ↔ `54`+10 (drop the 9, for matching
 * only: a 54 number without 9 may be a landline, so the number we send to is never rewritten),
 * Brazil: a 10-digit national number whose local part starts 6–9 gets its ninth digit.
 * Emails: trimmed and lowercased.
 *
 * Numbers people write without their country code (`55 3001 1122`) are read in a country: the
 * contact's own number's, else the workspace's `defaultCountry`.
 */
import type { Contact } from '@charla/protocol';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
// The full metadata tells a real national number from any ten digits (an order number, an amount).
import { parsePhoneNumberFromString as parseWithFullMetadata } from 'libphonenumber-js/max';

export type MatchKey = `phone:+${string}` | `email:${string}`;

const EMAIL = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]{2,}$/;
/**
 * An address inside a message. Its parts are bounded (RFC 5321: 64 characters before the @, 255
 * after) and it starts where a run of address characters starts: unbounded runs made every
 * position of a long text without an address scan to its end, and one 65,536-character message
 * held the event loop for seconds.
 */
const EMAIL_IN_TEXT = /(?<![^\s@<>()[\]",;:])[^\s@<>()[\]",;:]{1,64}@[^\s@<>()[\]",;:]{1,251}\.[A-Za-z]{2,63}/g;

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

/** `code` as a country whose national numbers can be read, or undefined. */
export function phoneCountry(code: string | null | undefined): CountryCode | undefined {
  return code && isSupportedCountry(code) ? code : undefined;
}

/** The country of an international number (`+525530011122` → MX). */
function countryOfNumber(raw: string): CountryCode | undefined {
  const phone = canonicalPhone(raw);
  return (phone && parsePhoneNumberFromString(phone)?.country) || undefined;
}

/**
 * The country a contact's national numbers are read in: that of their own number (the phone on
 * file, else their WhatsApp id) when they have one, else the workspace's.
 */
export function readingCountryOf(contact: Pick<Contact, 'phone' | 'identities'>, workspaceCountry: CountryCode): CountryCode {
  const own = [contact.phone, ...contact.identities.filter((i) => i.channel === 'whatsapp' || i.channel === 'phone').map((i) => i.handle)];
  for (const number of own) {
    const country = number ? countryOfNumber(number) : undefined;
    if (country) return country;
  }
  return workspaceCountry;
}

/**
 * What libphonenumber-js does not read by itself: Mexico's retired `044`/`045` (mobile) and `01`
 * (long distance) prefixes before the 10 digits, and Brazilian mobiles written without their
 * ninth digit (a local part starting 6–9 is a mobile).
 */
function withoutOldHabits(digits: string, country: CountryCode): string {
  if (country === 'MX' && /^04[45]\d{10}$/.test(digits)) return digits.slice(3);
  if (country === 'MX' && /^01\d{10}$/.test(digits)) return digits.slice(2);
  if (country === 'BR' && /^[1-9]{2}[6-9]\d{7}$/.test(digits)) return `${digits.slice(0, 2)}9${digits.slice(2)}`;
  return digits;
}

/**
 * A number written without its country code, read in `country` (`55 3001 1122` in MX →
 * `+525530011122`; Argentina's `11 15-1234-5678` → `+5491112345678`), or null when it is not a
 * valid number there.
 */
export function readNationalPhone(raw: string, country: CountryCode): string | null {
  const digits = raw.trim().replace(/[\s().-]/g, '');
  if (!/^\d{6,15}$/.test(digits)) return null;
  const parsed = parseWithFullMetadata(withoutOldHabits(digits, country), country);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * A number a person typed (a form, a CSV cell, an AI reading) in E.164: with its country code
 * (`+…`, `00…`) as written; without one, read in `country`; failing that, digits that already
 * carry a country code (a WhatsApp id pasted in a sheet). Null when it is no valid number.
 */
export function readPhone(raw: string, country: CountryCode): string | null {
  const written = raw.trim();
  if (!/^(\+|00)/.test(written)) {
    const national = readNationalPhone(written, country);
    if (national) return national;
  }
  const phone = canonicalPhone(written);
  return phone && parsePhoneNumberFromString(phone)?.isValid() ? phone : null;
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

/** Just before a number: a price, an order or ticket number, not a phone. */
const NOT_A_PHONE_BEFORE = /(?:[$€£#]|\b(?:n[°ºo]|num|pedido|orden|order|folio|ticket|factura|invoice|ref))\.?\s*$/i;

/** False when `text` cannot hold an email or a phone number (most messages): nothing to capture. */
export function mayHoldContactDetails(text: string): boolean {
  return text.includes('@') || PHONE_IN_TEXT.test(text);
}

const PHONE_IN_TEXT = /\+?\d[\d\s().-]{8,18}\d/;

/**
 * Email addresses and phone numbers a customer wrote in a message. A number with its country
 * code counts when it is valid; one without (`mi cel es 55 3001 1122`) only when a `country` is
 * given, it is a valid number there, and nothing around it says it is a price or an order number.
 */
export function capturedContactDetails(text: string, country?: CountryCode): { emails: string[]; phones: string[] } {
  const emails = [...text.matchAll(EMAIL_IN_TEXT)]
    .map((match) => normalizeEmail(match[0].replace(/[.!?]+$/, '')))
    .filter((email): email is string => email !== null);
  const phones = [...text.matchAll(new RegExp(PHONE_IN_TEXT, 'g'))]
    .map((match) => {
      const candidate = match[0].trim();
      if (candidate.startsWith('+')) {
        const phone = canonicalPhone(candidate);
        return phone && parsePhoneNumberFromString(phone)?.isValid() ? phone : null;
      }
      if (!country) return null;
      const before = text.slice(Math.max(0, match.index - 12), match.index);
      // Part of a longer run of digits or words (`ABC-5512345678`): not a number on its own.
      if (/[\p{L}\d_]$/u.test(before) || NOT_A_PHONE_BEFORE.test(before)) return null;
      return readNationalPhone(candidate, country);
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
