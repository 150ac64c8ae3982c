import { Tooltip } from '@patternfly/react-core';
import type { WaveView } from '../api/rollouts';
import { failed, percentOf, succeeded } from '../pages/rollouts/rolloutState';

const FILL: Record<string, string> = {
  SUCCEEDED: '--pf-t--global--color--status--success--default',
  RUNNING: '--pf-t--global--color--status--info--default',
  FAILED: '--pf-t--global--color--status--danger--default',
  CANCELLED: '--pf-t--global--color--status--warning--default',
  PENDING: '--pf-t--global--border--color--default',
};

/**
 * A rollout's waves side by side, each as wide as its share of the agents (with a floor, so a
 * canary of one stays visible), filled as far as its deployments succeeded, red for failures.
 */
export function RolloutStrip({ waves, mode }: { waves: WaveView[]; mode?: 'INSTALL' | 'DOWNLOAD_ONLY' }) {
  return (
    <div role="list" aria-label="Waves" style={{ display: 'flex', gap: 4, width: '100%' }}>
      {waves.map((w) => {
        const done = percentOf(succeeded(w.counts, mode), w.agents);
        const bad = percentOf(failed(w.counts), w.agents);
        const label = `${w.name}: ${w.state.toLowerCase()}, ${succeeded(w.counts, mode)} of ${w.agents} done${failed(w.counts) ? `, ${failed(w.counts)} failed` : ''}`;
        return (
          <Tooltip key={w.position} content={label}>
            <div role="listitem" aria-label={label} tabIndex={0} style={{ flex: `${Math.max(w.agents, 1)} 1 0`, minWidth: 72 }}>
              <div style={{ fontSize: 'var(--pf-t--global--font--size--sm)', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                {w.name} · {w.agents}
              </div>
              <div
                style={{
                  height: 14,
                  borderRadius: 3,
                  overflow: 'hidden',
                  display: 'flex',
                  background: 'var(--pf-t--global--background--color--secondary--default)',
                  outline: `2px solid var(${FILL[w.state] ?? FILL.PENDING})`,
                }}
              >
                <div style={{ width: `${done}%`, background: `var(${FILL.SUCCEEDED})` }} />
                <div style={{ width: `${bad}%`, background: `var(${FILL.FAILED})` }} />
              </div>
              <div style={{ fontSize: 'var(--pf-t--global--font--size--xs)' }}>{w.state.toLowerCase()}</div>
            </div>
          </Tooltip>
        );
      })}
    </div>
  );
}
