import {
  Button,
  Card,
  CardBody,
  CardTitle,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Grid,
  GridItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import { fleet } from '../../api/fleet';
import type { Agent } from '../../api/types';
import { Allowed } from '../../auth/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { bytes, when } from '../../components/format';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { StateLabel } from '../../components/StateLabel';

export default function AgentPage() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  const agent = useQuery({ queryKey: ['agent', id], queryFn: () => fleet.agent(id) });
  const deployments = useQuery({ queryKey: ['agent-deployments', id], queryFn: () => fleet.agentDeployments(id) });
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => fleet.revokeAgent(id),
    onSuccess: (a) => {
      client.setQueryData(['agent', id], a);
      void client.invalidateQueries({ queryKey: ['agents'] });
      void client.invalidateQueries({ queryKey: ['agent-deployments', id] });
      setConfirming(false);
    },
  });
  const actions = agent.data?.state === 'ACTIVE' && (
    <Allowed to="revokeAgent">
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Revoke
      </Button>
    </Allowed>
  );
  return (
    <PageFrame
      title={
        <>
          {agent.data?.hostname ?? 'Agent'} {agent.data && <StateLabel state={agent.data.state} />}{' '}
          {agent.data?.frozenSince && agent.data.state === 'ACTIVE' && <StateLabel state="FROZEN" />}
        </>
      }
      actions={actions}
    >
      <QueryView query={agent} what="the agent">
        {(a) => (
          <Grid hasGutter>
            <GridItem md={6}>
              <Details agent={a} />
            </GridItem>
            <GridItem md={6}>
              <Card isFullHeight>
                <CardTitle>Installed releases</CardTitle>
                <CardBody>
                  {a.installed.length === 0 ? (
                    'Nothing installed yet.'
                  ) : (
                    <Table aria-label="Installed releases" variant="compact">
                      <Thead>
                        <Tr>
                          <Th>Product</Th>
                          <Th>Version</Th>
                          <Th>Sequence</Th>
                          <Th>Active</Th>
                        </Tr>
                      </Thead>
                      <Tbody>
                        {a.installed.map((r) => (
                          <Tr key={`${r.product}/${r.version}`}>
                            <Td dataLabel="Product">{r.product}</Td>
                            <Td dataLabel="Version">{r.version}</Td>
                            <Td dataLabel="Sequence">{r.sequence}</Td>
                            <Td dataLabel="Active">{r.active ? 'yes' : 'no'}</Td>
                          </Tr>
                        ))}
                      </Tbody>
                    </Table>
                  )}
                </CardBody>
              </Card>
            </GridItem>
            <GridItem span={12}>
              <Card>
                <CardTitle>Deployments</CardTitle>
                <CardBody>
                  <QueryView query={deployments} what="deployments">
                    {(list) =>
                      list.length === 0 ? (
                        <Empty title="No deployments">No release has been deployed to this agent.</Empty>
                      ) : (
                        <Table aria-label="Deployments" variant="compact">
                          <Thead>
                            <Tr>
                              <Th>Release</Th>
                              <Th>State</Th>
                              <Th>Progress</Th>
                              <Th>Reason</Th>
                              <Th>Updated</Th>
                            </Tr>
                          </Thead>
                          <Tbody>
                            {list.map((d) => (
                              <Tr key={d.id}>
                                <Td dataLabel="Release">
                                  {d.product} {d.version}
                                </Td>
                                <Td dataLabel="State">
                                  <StateLabel state={d.state} />
                                </Td>
                                <Td dataLabel="Progress">
                                  {bytes(d.bytesDone)} of {bytes(d.bytesTotal)}
                                </Td>
                                <Td dataLabel="Reason">{[d.reason, d.detail].filter(Boolean).join(': ') || '—'}</Td>
                                <Td dataLabel="Updated">{when(d.updatedAt ?? d.createdAt)}</Td>
                              </Tr>
                            ))}
                          </Tbody>
                        </Table>
                      )
                    }
                  </QueryView>
                </CardBody>
              </Card>
            </GridItem>
          </Grid>
        )}
      </QueryView>
      {confirming && (
        <ConfirmDialog
          title={`Revoke ${agent.data?.hostname}?`}
          confirmLabel="Revoke"
          danger
          busy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate()}
          onClose={() => {
            setConfirming(false);
            revoke.reset();
          }}
        >
          The agent is refused at once by the API, the tracker and the web seed; its unfinished deployments are cancelled and its Keycloak client is
          disabled. To come back, the machine must enroll again.
        </ConfirmDialog>
      )}
    </PageFrame>
  );
}

function Details({ agent: a }: { agent: Agent }) {
  const item = (term: string, value: ReactNode) => (
    <DescriptionListGroup>
      <DescriptionListTerm>{term}</DescriptionListTerm>
      <DescriptionListDescription>{value}</DescriptionListDescription>
    </DescriptionListGroup>
  );
  return (
    <Card isFullHeight>
      <CardTitle>Agent</CardTitle>
      <CardBody>
        <DescriptionList isHorizontal isCompact>
          {item('Id', <code>{a.id}</code>)}
          {item('Site', a.site ?? '—')}
          {item('Labels', a.labels.join(', ') || '—')}
          {item('Agent version', a.agentVersion ?? '—')}
          {item('Enrolled', when(a.enrolledAt))}
          {item('Last check-in', when(a.lastCheckIn))}
          {item('Last address', a.lastAddress ?? '—')}
          {item('Free disk', bytes(a.freeDiskBytes))}
          {item('Assignment', assignment(a))}
          {a.assignmentProblem && item('Last answer refused', a.assignmentProblem)}
          {a.revokedAt && item('Revoked', `${when(a.revokedAt)} by ${a.revokedBy ?? '—'}`)}
        </DescriptionList>
      </CardBody>
    </Card>
  );
}

/**
 * The signed statement of what the agent should run, as the agent last said: a frozen agent has
 * had none valid since it expired, so deployments may not be reaching it (withheld or replayed answers).
 */
function assignment(a: Agent): string {
  if (a.frozenSince) return `Frozen since ${when(a.frozenSince)} (assignment expired)`;
  if (a.assignmentValidUntil) return `Valid until ${when(a.assignmentValidUntil)}`;
  return '—';
}
