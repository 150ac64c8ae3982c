// node --test e2e/bench/  (from admin-ui/)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, percentile } from './stats.mjs';

test('the median of an odd count is the middle value, whatever the order', () => {
  assert.equal(median([9, 1, 5]), 5);
});

test('the median of an even count is the mean of the two middle values', () => {
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('a run that measured nothing (null) does not count', () => {
  assert.equal(median([null, 3, 1, 2]), 2);
  assert.equal(median([null]), null);
});

test('p95 of twenty requests is the nineteenth fastest, p100 the slowest', () => {
  const twenty = Array.from({ length: 20 }, (_, i) => 20 - i);
  assert.equal(percentile(twenty, 95), 19);
  assert.equal(percentile(twenty, 100), 20);
  assert.equal(percentile(twenty, 50), 10);
});

test('p0 is the fastest', () => {
  assert.equal(percentile([3, 2, 7], 0), 2);
});
