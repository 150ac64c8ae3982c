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
import { inWords, withEmptySites } from './fleetCounts';

export default function OverviewPage() {
  const running = useQuery({
    queryKey: ['rollouts', 'in progress'],
    queryFn: async () => (await Promise.all([rollouts.list('RUNNING'), rollouts.list('PAUSED')])).flat(),
    refetchInterval: POLL_MS * 2,
  });
  const agents = useQuery({
    queryKey: ['overview', 'fleet'],
    // Counted by the server, however large the fleet: the page never lists agents.
    queryFn: async () => {
      const [counts, siteList] = await Promise.all([fleet.counts(), sites.list()]);
      return withEmptySites(counts, siteList.map((s) => s.name));
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
                    <LabelGroup aria-label="Agents by state" numLabels={5}>
                      <Label color="blue">agents: {counts.total.agents}</Label>
                      <Label color="green">active: {counts.total.active}</Label>
                      <Label color="orange" title={silentTip(counts.silentAfterSeconds)}>
                        silent: {counts.total.silent}
                      </Label>
                      <Label color="orange" title={FROZEN_TIP}>
                        frozen: {counts.total.frozen}
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
                            <Th info={{ tooltip: silentTip(counts.silentAfterSeconds) }}>Silent</Th>
                            <Th info={{ tooltip: FROZEN_TIP }}>Frozen</Th>
                            <Th>Revoked</Th>
                          </Tr>
                        </Thead>
                        <Tbody>
                          {counts.bySite.map(({ site, counts: c }) => (
                            <Tr key={site ?? ''}>
                              <Td dataLabel="Site">{site ? <Link to={`/agents?site=${encodeURIComponent(site)}`}>{site}</Link> : <em>no site</em>}</Td>
                              <Td dataLabel="Active">{c.active}</Td>
                              <Td dataLabel="Silent">{c.silent}</Td>
                              <Td dataLabel="Frozen">{c.frozen}</Td>
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

const silentTip = (seconds: number) => `Active, but no check-in for ${inWords(seconds)}`;
const FROZEN_TIP = 'Active, but their signed assignment expired and no newer one has reached them: deployments may be withheld on the way';
