/**
 * Texts built to make backtracking regular expressions slow: long runs of what a pattern's
 * repeated part accepts, without the character that would let it match (an address without
 * its @, digits without a currency, a word without its domain…). 65,536 characters each, the
 * most a WhatsApp text can carry on the wire.
 */
export const ADVERSARIAL_LENGTH = 65_536;

const filled = (unit: string, length = ADVERSARIAL_LENGTH) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

export const ADVERSARIAL_TEXTS: Record<string, string> = {
  letters: filled('a'),
  digits: filled('1'),
  'digits and dots': filled('1.'),
  'digits and spaces': filled('1 '),
  'digits and commas': filled('1,'),
  'address without a domain': `${filled('a', ADVERSARIAL_LENGTH - 1)}@`,
  'domain without a top level': `a@${filled('a.', ADVERSARIAL_LENGTH - 2)}`,
  'address characters': filled('a1.-_%+'),
  'phone-like groups': filled('+52 1'),
  parentheses: filled('(1)'),
  dashes: filled('1-'),
  'thousands separators': filled('1.000'),
  'capitalized words': filled('Aa '),
  'sentence ends': filled('. '),
  // What a product is read from: an article, a long word and no verb after it.
  'an article and one long word': `the ${filled('a', ADVERSARIAL_LENGTH - 4)}`,
  'short words after an article': `¿el ${filled('ab ', ADVERSARIAL_LENGTH - 4)}`,
  'capitalized words with particles': filled('Ana de '),
};
