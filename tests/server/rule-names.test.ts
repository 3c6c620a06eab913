import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../../server/src/services/automation.js';
import { loadLocale } from '../../packages/elements/src/i18n/strings.js';
import { ruleKey, timelineString } from '../../packages/elements/src/timeline/timeline.strings.js';

test('every automation rule name the server stores is said in Spanish and Portuguese on the timeline', async () => {
  // Spanish and Portuguese load on demand, as in a page.
  await loadLocale('es');
  await loadLocale('pt');
  for (const name of Object.values(RULES)) {
    const key = ruleKey(name);
    assert.ok(key, `no strings for rule "${name}"`);
    assert.equal(timelineString('en', key), name);
    assert.notEqual(timelineString('es', key), name);
    assert.notEqual(timelineString('pt', key), name);
  }
});
