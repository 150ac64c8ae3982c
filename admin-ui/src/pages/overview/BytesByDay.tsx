import type { DailyBytes } from '../../api/fleet';
import { bytes } from '../../components/format';

const COLORS = {
  sameSite: 'var(--pf-t--global--color--status--success--default)',
  otherSite: 'var(--pf-t--global--color--status--info--default)',
  origin: 'var(--pf-t--global--color--status--warning--default)',
};

/** Peers against the origin, per day: one stacked bar a day, a legend and the period's totals. */
export function BytesByDay({ days }: { days: DailyBytes[] }) {
  const parts = days.map((d) => ({
    day: d.day,
    sameSite: d.bytes.sameSitePeers,
    otherSite: d.bytes.otherSitePeers,
    origin: d.bytes.originSeeder + d.bytes.webSeed,
  }));
  const max = Math.max(1, ...parts.map((p) => p.sameSite + p.otherSite + p.origin));
  const peers = parts.reduce((n, p) => n + p.sameSite + p.otherSite, 0);
  const origin = parts.reduce((n, p) => n + p.origin, 0);
  const share = peers + origin === 0 ? null : Math.round((100 * peers) / (peers + origin));
  return (
    <div>
      <p>
        Last {days.length} days: {bytes(peers)} from peers, {bytes(origin)} from the origin and web seed
        {share !== null && ` (${share} % from peers)`}.
      </p>
      <div style={{ display: 'flex', alignItems: 'flex-end', gap: 2, height: 120, marginTop: 'var(--pf-t--global--spacer--sm)' }}>
        {parts.map((p) => {
          const label = `${p.day}: ${bytes(p.sameSite)} from same-site peers, ${bytes(p.otherSite)} from other sites, ${bytes(p.origin)} from the origin`;
          return (
            <div key={p.day} role="img" aria-label={label} title={label} style={{ flex: 1, display: 'flex', flexDirection: 'column-reverse', height: '100%' }}>
              <div style={{ height: `${(100 * p.sameSite) / max}%`, background: COLORS.sameSite }} />
              <div style={{ height: `${(100 * p.otherSite) / max}%`, background: COLORS.otherSite }} />
              <div style={{ height: `${(100 * p.origin) / max}%`, background: COLORS.origin }} />
            </div>
          );
        })}
      </div>
      <small>
        <span style={{ color: COLORS.sameSite }}>■</span> same-site peers <span style={{ color: COLORS.otherSite }}>■</span> other sites{' '}
        <span style={{ color: COLORS.origin }}>■</span> origin and web seed · a deployment counts on the day of its last report
      </small>
    </div>
  );
}
