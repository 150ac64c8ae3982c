import { Content, HelperText, HelperTextItem } from '@patternfly/react-core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { rollouts } from '../../api/rollouts';
import { toPreviewRequest, validateRollout, type RolloutFormValues } from './rolloutForm';

/** How long typing must pause before the count is asked for: one request per pause, not per key. */
export const COUNT_DEBOUNCE_MS = 300;

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The active agents the target matches now and how the waves split them, asked of the control
 * plane (POST /rollouts/preview, which creates nothing) as the admin edits the target.
 */
export function TargetCount({ values }: { values: RolloutFormValues }) {
  const targetOk = Object.keys(validateRollout(values, 'targets')).length === 0;
  const body = useDebounced(JSON.stringify(toPreviewRequest(values)), COUNT_DEBOUNCE_MS);
  const preview = useQuery({
    queryKey: ['rollout-preview', body],
    queryFn: () => rollouts.preview(JSON.parse(body)),
    enabled: targetOk,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  let text: string;
  let variant: 'default' | 'warning' | 'error' = 'default';
  if (!targetOk) text = 'Fix the agent ids to see how many agents match.';
  else if (preview.isError) {
    text = `Cannot count the agents: ${preview.error.message}`;
    variant = 'error';
  } else if (!preview.data) text = 'Counting the matching agents…';
  else if (preview.data.agents === 0) {
    text = 'No active agent matches this target; a rollout needs at least one.';
    variant = 'warning';
  } else text = `${preview.data.agents} active ${preview.data.agents === 1 ? 'agent matches' : 'agents match'} now.`;
  const waves = targetOk && !preview.isError && preview.data && preview.data.agents > 0 && preview.data.waves.length > 1 ? preview.data.waves : [];
  return (
    <div aria-live="polite" data-testid="target-count">
      <HelperText>
        <HelperTextItem variant={variant}>{text}</HelperTextItem>
      </HelperText>
      {waves.length > 0 && (
        <Content component="small">Waves: {waves.map((w) => `${w.name} ${w.agents}`).join(', ')}</Content>
      )}
    </div>
  );
}
