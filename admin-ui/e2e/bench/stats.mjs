// Summaries of a benchmark's repeated measurements.

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values) {
  const sorted = numbers(values);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The nearest-rank percentile (p in 0..100): the smallest value at least p % of them do not exceed. */
export function percentile(values, p) {
  const sorted = numbers(values);
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function numbers(values) {
  return values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
}
