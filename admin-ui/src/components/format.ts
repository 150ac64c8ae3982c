const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function bytes(n: number | undefined | null): string {
  if (n === undefined || n === null) return '—';
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function when(instant: string | undefined | null): string {
  return instant ? new Date(instant).toLocaleString() : '—';
}

/** A ratio of bytes to the release size, as copies of the release: "0.75 ×". */
export function copies(ratio: number | undefined | null): string {
  return ratio === undefined || ratio === null ? '—' : `${ratio.toFixed(2)} ×`;
}
