import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BusinessCalendar } from '@charla/protocol';

const HOUR = 3_600_000;
const weekdays = (open: string, close: string) => [1, 2, 3, 4, 5].map((day) => ({ day, open, close }));

describe('business time', () => {
  test('a weekend counts nothing: Friday 17:00 to Monday 10:00 is two business hours', () => {
    const calendar = new BusinessCalendar({ timezone: 'America/Bogota', periods: weekdays('09:00', '18:00') });
    // Bogotá is UTC−5.
    assert.equal(calendar.between(Date.parse('2026-06-05T22:00:00Z'), Date.parse('2026-06-08T15:00:00Z')), 2 * HOUR);
    assert.equal(calendar.add(Date.parse('2026-06-05T22:00:00Z'), 2 * HOUR), Date.parse('2026-06-08T15:00:00Z'));
    assert.equal(calendar.subtract(Date.parse('2026-06-08T15:00:00Z'), 2 * HOUR), Date.parse('2026-06-05T22:00:00Z'));
    assert.equal(calendar.isOpen(Date.parse('2026-06-06T15:00:00Z')), false, 'Saturday');
  });

  test('opening hours follow the local clock across a daylight-saving change', () => {
    // New York moves from UTC−5 to UTC−4 on Sunday 2026-03-08.
    const calendar = new BusinessCalendar({ timezone: 'America/New_York', periods: weekdays('09:00', '17:00') });
    assert.equal(calendar.add(Date.parse('2026-03-06T21:30:00Z'), HOUR), Date.parse('2026-03-09T13:30:00Z'), 'Fri 16:30 EST + 1 h = Mon 09:30 EDT');
    assert.equal(calendar.between(Date.parse('2026-03-06T14:00:00Z'), Date.parse('2026-03-09T21:00:00Z')), 16 * HOUR);
  });

  test('split days, touching periods and a week that never opens', () => {
    const calendar = new BusinessCalendar({
      timezone: 'UTC',
      periods: [{ day: 2, open: '09:00', close: '13:00' }, { day: 2, open: '15:00', close: '19:00' }, { day: 2, open: '13:00', close: '14:00' }],
    });
    // Tuesday 2026-06-09: 09–14 and 15–19.
    assert.equal(calendar.between(Date.parse('2026-06-09T08:00:00Z'), Date.parse('2026-06-09T20:00:00Z')), 9 * HOUR);
    assert.equal(calendar.add(Date.parse('2026-06-09T13:30:00Z'), HOUR), Date.parse('2026-06-09T15:30:00Z'));
    const closed = new BusinessCalendar({ timezone: 'UTC', periods: [] });
    assert.equal(closed.add(0, HOUR), null);
    assert.equal(closed.between(0, 10 * HOUR), 0);
    const always = new BusinessCalendar({ timezone: 'UTC', periods: null });
    assert.equal(always.between(0, 10 * HOUR), 10 * HOUR);
  });
});
