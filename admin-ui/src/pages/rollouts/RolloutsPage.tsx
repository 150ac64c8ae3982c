import { Button, FormSelect, FormSelectOption, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { POLL_MS, rollouts } from '../../api/rollouts';
import { Allowed } from '../../auth/session';
import { when } from '../../components/format';
import { PageFrame } from '../../components/PageFrame';
import { RolloutProgress } from '../../components/RolloutProgress';
import { Empty, QueryView } from '../../components/PageStates';
import { StateLabel } from '../../components/StateLabel';
import { useUrlFilters } from '../../components/useUrlFilters';

const STATES = ['WAITING_FOR_APPROVAL', 'SCHEDULED', 'RUNNING', 'PAUSED', 'FINISHED', 'CANCELLED', 'DENIED'];

export default function RolloutsPage() {
  const [params, setFilters] = useUrlFilters();
  const state = params.get('state') ?? '';
  const list = useQuery({ queryKey: ['rollouts', state], queryFn: () => rollouts.list(state || undefined), refetchInterval: POLL_MS * 2 });
  const navigate = useNavigate();
  const actions = (
    <Allowed to="editRollouts">
      <Button onClick={() => navigate('/rollouts/new')}>Create rollout</Button>
    </Allowed>
  );
  return (
    <PageFrame title="Rollouts" actions={actions}>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <FormSelect id="rollout-state" aria-label="State" value={state} onChange={(_e, v) => setFilters({ state: v })}>
              <FormSelectOption value="" label="Any state" />
              {STATES.map((s) => (
                <FormSelectOption key={s} value={s} label={s.toLowerCase()} />
              ))}
            </FormSelect>
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <QueryView query={list} what="rollouts">
        {(items) =>
          items.length === 0 ? (
            <Empty title={state ? `No ${state.toLowerCase()} rollouts` : 'No rollouts yet'}>
              A rollout sends a published release to agents in waves: a canary first, the rest once it succeeded.
            </Empty>
          ) : (
            <Table aria-label="Rollouts" variant="compact">
              <Thead>
                <Tr>
                  <Th>Name</Th>
                  <Th>Release</Th>
                  <Th>State</Th>
                  <Th width={30}>Progress</Th>
                  <Th>Created</Th>
                </Tr>
              </Thead>
              <Tbody>
                {items.map((r) => (
                  <Tr key={r.id}>
                    <Td dataLabel="Name">
                      <Link to={`/rollouts/${r.id}`}>{r.name}</Link>
                    </Td>
                    <Td dataLabel="Release">
                      {r.product} {r.version}
                    </Td>
                    <Td dataLabel="State">
                      <StateLabel state={r.state} /> {r.pauseReason && <small>({r.pauseReason.replaceAll('_', ' ').toLowerCase()})</small>}
                    </Td>
                    <Td dataLabel="Progress">
                      <RolloutProgress rollout={r} />
                    </Td>
                    <Td dataLabel="Created">
                      {when(r.createdAt)} by {r.createdBy}
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )
        }
      </QueryView>
    </PageFrame>
  );
}
