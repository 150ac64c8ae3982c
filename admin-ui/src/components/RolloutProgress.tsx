import { Progress, ProgressMeasureLocation, ProgressVariant } from '@patternfly/react-core';
import type { RolloutSummary } from '../api/rollouts';
import { failed, percentOf, succeeded } from '../pages/rollouts/rolloutState';

/** A rollout's agents done as a bar, red once any failed: the rollout list and the overview. */
export function RolloutProgress({ rollout: r }: { rollout: RolloutSummary }) {
  const done = succeeded(r.counts);
  const bad = failed(r.counts);
  return (
    <Progress
      value={percentOf(done, r.agents)}
      size="sm"
      measureLocation={ProgressMeasureLocation.outside}
      variant={bad > 0 ? ProgressVariant.danger : r.state === 'FINISHED' ? ProgressVariant.success : undefined}
      aria-label={`${r.name}: ${done} of ${r.agents} agents done`}
      helperText={`${done} of ${r.agents} agents${bad ? `, ${bad} failed` : ''}`}
    />
  );
}
