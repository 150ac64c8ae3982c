import { Card, CardBody, CardTitle, Grid, GridItem, Label, LabelGroup } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { fleet } from '../../api/fleet';
import { POLL_MS, rollouts } from '../../api/rollouts';
import { sites } from '../../api/sites';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { RolloutProgress } from '../../components/RolloutProgress';
import { StateLabel } from '../../components/StateLabel';
import { BytesByDay } from './BytesByDay';
import { countFleet } from './fleetCounts';

export default function OverviewPage() {
  const running = useQuery({
    queryKey: ['rollouts', 'in progress'],
    queryFn: async () => (await Promise.all([rollouts.list('RUNNING'), rollouts.list('PAUSED')])).flat(),
    refetchInterval: POLL_MS * 2,
  });
  const agents = useQuery({
    queryKey: ['overview', 'fleet'],
    queryFn: async () => {
      const [rows, siteList] = await Promise.all([fleet.agentCounts(), sites.list()]);
      return countFleet(rows, siteList.map((s) => s.name));
    },
    refetchInterval: 60_000,
  });
  const byDay = useQuery({ queryKey: ['overview', 'bytes by day'], queryFn: () => fleet.bytesByDay(30), refetchInterval: 60_000 });
  return (
    <PageFrame title="Overview">
      <Grid hasGutter>
        <GridItem span={12}>
          <Card>
            <CardTitle>Rollouts in progress</CardTitle>
            <CardBody>
              <QueryView query={running} what="rollouts">
                {(list) =>
                  list.length === 0 ? (
                    <Empty title="No rollout is running or paused" />
                  ) : (
                    <Table aria-label="Rollouts in progress" variant="compact">
                      <Thead>
                        <Tr>
                          <Th>Name</Th>
                          <Th>Release</Th>
                          <Th>State</Th>
                          <Th width={40}>Progress</Th>
                        </Tr>
                      </Thead>
                      <Tbody>
                        {list.map((r) => (
                          <Tr key={r.id}>
                            <Td dataLabel="Name">
                              <Link to={`/rollouts/${r.id}`}>{r.name}</Link>
                            </Td>
                            <Td dataLabel="Release">
                              {r.product} {r.version}
                            </Td>
                            <Td dataLabel="State">
                              <StateLabel state={r.state} />
                            </Td>
                            <Td dataLabel="Progress">
                              <RolloutProgress rollout={r} />
                            </Td>
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
        <GridItem span={12}>
          <Card>
            <CardTitle>Where the bytes came from</CardTitle>
            <CardBody>
              <QueryView query={byDay} what="the bytes by day">
                {(days) => <BytesByDay days={days} />}
              </QueryView>
            </CardBody>
          </Card>
        </GridItem>
        <GridItem span={12}>
          <Card>
            <CardTitle>Agents</CardTitle>
            <CardBody>
              <QueryView query={agents} what="the agents">
                {(counts) => (
                  <>
                    <LabelGroup aria-label="Agents by state" numLabels={3}>
                      <Label color="green">active: {counts.total.active}</Label>
                      <Label color="orange" title="Active, but no check-in for 10 minutes">
                        silent: {counts.total.silent}
                      </Label>
                      <Label color="grey">revoked: {counts.total.revoked}</Label>
                    </LabelGroup>
                    {counts.bySite.length === 0 ? (
                      <Empty title="No agents yet">Enroll machines with an enrollment token.</Empty>
                    ) : (
                      <Table aria-label="Agents by site" variant="compact">
                        <Thead>
                          <Tr>
                            <Th>Site</Th>
                            <Th>Active</Th>
                            <Th info={{ tooltip: 'Active, but no check-in for 10 minutes' }}>Silent</Th>
                            <Th>Revoked</Th>
                          </Tr>
                        </Thead>
                        <Tbody>
                          {counts.bySite.map(({ site, counts: c }) => (
                            <Tr key={site ?? ''}>
                              <Td dataLabel="Site">{site ? <Link to={`/agents?site=${encodeURIComponent(site)}`}>{site}</Link> : <em>no site</em>}</Td>
                              <Td dataLabel="Active">{c.active}</Td>
                              <Td dataLabel="Silent">{c.silent}</Td>
                              <Td dataLabel="Revoked">{c.revoked}</Td>
                            </Tr>
                          ))}
                        </Tbody>
                      </Table>
                    )}
                  </>
                )}
              </QueryView>
            </CardBody>
          </Card>
        </GridItem>
      </Grid>
    </PageFrame>
  );
}
