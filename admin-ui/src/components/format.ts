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

const ISO_PARTS: [RegExp, string][] = [
  [/(\d+)D/, 'd'],
  [/T.*?(\d+)H/, 'h'],
  [/T.*?(\d+)M/, 'min'],
  [/T.*?(\d+(?:\.\d+)?)S/, 's'],
];

/** An ISO-8601 duration as the API gives it (PT4H, P1DT30M) for reading: "4 h", "1 d 30 min"; anything else as it is. */
export function isoDuration(text: string | undefined | null): string {
  if (!text) return '—';
  if (!/^P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(text) || text === 'P' || text.endsWith('T')) return text;
  const parts = ISO_PARTS.map(([re, unit]) => {
    const m = re.exec(text);
    return m && Number(m[1]) > 0 ? `${m[1]} ${unit}` : undefined;
  }).filter(Boolean);
  return parts.length ? parts.join(' ') : '0 s';
}
