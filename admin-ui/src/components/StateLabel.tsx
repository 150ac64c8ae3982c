import { Label } from '@patternfly/react-core';

const COLORS: Record<string, 'green' | 'grey' | 'red' | 'blue' | 'orange' | 'purple'> = {
  PUBLISHED: 'green',
  ACTIVE: 'green',
  INSTALLED: 'green',
  DRAFT: 'blue',
  PENDING: 'blue',
  DOWNLOADING: 'purple',
  DOWNLOADED: 'purple',
  INSTALLING: 'purple',
  REVOKED: 'red',
  FAILED: 'red',
  EXPIRED: 'grey',
  USED_UP: 'grey',
  CANCELLED: 'orange',
  RUNNING: 'purple',
  SCHEDULED: 'blue',
  WAITING_FOR_APPROVAL: 'blue',
  DENIED: 'red',
  PAUSED: 'orange',
  FINISHED: 'green',
  SUCCEEDED: 'green',
  NOT_DEPLOYED: 'grey',
  DELIVERED: 'green',
  FROZEN: 'orange',
};

/** A lifecycle state as a coloured label (releases, agents, deployments, tokens, rollouts, waves). */
export function StateLabel({ state }: { state: string }) {
  return (
    <Label color={COLORS[state] ?? 'grey'} isCompact>
      {state.replaceAll('_', ' ').toLowerCase()}
    </Label>
  );
}
