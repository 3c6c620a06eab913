import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetAmount } from '../../server/src/ai/budget.js';

test('a budget as customers write it becomes an amount and a currency', () => {
  const cases: Array<[string, { amount: number; currency: string } | null]> = [
    ['$15,000 MXN', { amount: 15_000, currency: 'MXN' }],
    ['R$ 800', { amount: 800, currency: 'BRL' }],
    ['R$ 2.500,50', { amount: 2500.5, currency: 'BRL' }],
    ['$1,500', { amount: 1500, currency: 'MXN' }],
    ['US$300', { amount: 300, currency: 'USD' }],
    ['20 mil pesos', { amount: 20_000, currency: 'MXN' }],
    ['5k usd', { amount: 5000, currency: 'USD' }],
    ['1.200.000 COP', { amount: 1_200_000, currency: 'COP' }],
    ['€ 99,90', { amount: 99.9, currency: 'EUR' }],
    ['3500 dólares', { amount: 3500, currency: 'USD' }],
    ['sin presupuesto', null],
  ];
  for (const [text, expected] of cases) assert.deepEqual(budgetAmount(text, 'MXN'), expected, text);
});
