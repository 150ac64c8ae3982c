import {
  Alert,
  Button,
  Card,
  CardBody,
  CardTitle,
  DescriptionList,
  ExpandableSection,
  Flex,
  Grid,
  GridItem,
  Label,
  LabelGroup,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ENDED, rollouts, useLiveRollout, useLiveRolloutAgents, type Connection, type Rollout, type RolloutControl } from '../../api/rollouts';
import { Allowed } from '../../auth/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { bytes, copies, duration, isoDuration, when } from '../../components/format';
import { DescriptionItem } from '../../components/DescriptionItem';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { ProblemAlert } from '../../components/ProblemAlert';
import { RolloutStrip } from '../../components/RolloutStrip';
import { StateLabel } from '../../components/StateLabel';
import { ApprovalActions } from './ApprovalActions';
import { controlsFor, failed, nonZero, pauseExplanation, succeeded, waitsOf, windowOpen } from './rolloutState';

const LABELS: Record<RolloutControl, string> = { pause: 'Pause', resume: 'Resume', advance: 'Advance to next wave', cancel: 'Cancel rollout' };

export default function RolloutPage() {
  const { id = '' } = useParams();
  const rollout = useLiveRollout(id);
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const control = useMutation({
    mutationFn: (what: RolloutControl) => rollouts.control(id, what),
    onSuccess: (r) => {
      client.setQueryData(['rollout', id], r);
      void client.invalidateQueries({ queryKey: ['rollouts'] });
      setConfirming(false);
    },
  });
  const r = rollout.data;
  const actions = r && (
    <Allowed to="editRollouts">
      <Flex>
        {r.state === 'WAITING_FOR_APPROVAL' && <ApprovalActions rollout={r} />}
        {controlsFor(r).map((c) => (
          <Button
            key={c}
            variant={c === 'cancel' ? 'danger' : 'secondary'}
            isDisabled={control.isPending}
            onClick={() => (c === 'cancel' ? setConfirming(true) : control.mutate(c))}
          >
            {LABELS[c]}
          </Button>
        ))}
      </Flex>
    </Allowed>
  );
  return (
    <PageFrame
      title={
        <>
          {r?.name ?? 'Rollout'} {r && <StateLabel state={r.state} />}
        </>
      }
      actions={actions}
    >
      {!confirming && <ProblemAlert error={control.error} title="The rollout refused that" />}
      <QueryView query={rollout} what="the rollout">
        {(data) => <RolloutDetail rollout={data} connection={rollout.connection} />}
      </QueryView>
      {confirming && r && (
        <ConfirmDialog
          title={`Cancel ${r.name}?`}
          confirmLabel="Cancel rollout"
          danger
          busy={control.isPending}
          error={control.error}
          onConfirm={() => control.mutate('cancel')}
          onClose={() => {
            setConfirming(false);
            control.reset();
          }}
        >
          Waves that have not ended are cancelled, and so are its deployments that have not started installing. Agents that already installed keep the release.
          This cannot be undone.
        </ConfirmDialog>
      )}
    </PageFrame>
  );
}

export function RolloutDetail({ rollout: r, connection = 'ended' }: { rollout: Rollout; connection?: Connection }) {
  const done = succeeded(r.counts, r.mode);
  return (
    <Grid hasGutter>
      {r.state === 'PAUSED' && (
        <GridItem span={12}>
          <Alert variant="warning" isInline title={pauseExplanation(r.pauseReason) ?? 'Paused'}>
            {r.pauseDetail}
          </Alert>
        </GridItem>
      )}
      {r.state === 'DENIED' && (
        <GridItem span={12}>
          <Alert variant="danger" isInline title={`Denied by ${r.decidedBy ?? 'an admin'}: no agent got anything.`}>
            {r.decisionComment}
          </Alert>
        </GridItem>
      )}
      {waitsOf(r).map((text) => (
        <GridItem span={12} key={text}>
          <Alert variant="info" isInline title={text} />
        </GridItem>
      ))}
      {r.waitingForAdvance && (
        <GridItem span={12}>
          <Alert variant="info" isInline title="Waiting for you: a wave succeeded and the next one starts when you advance." />
        </GridItem>
      )}
      <GridItem span={12}>
        <Card>
          <CardTitle>
            Waves · {done} of {r.agents} agents done{failed(r.counts) ? `, ${failed(r.counts)} failed` : ''}
          </CardTitle>
          <CardBody>
            <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }} style={{ marginBottom: 'var(--pf-t--global--spacer--sm)' }}>
              <Completion rollout={r} />
              <LiveIndicator connection={connection} />
            </Flex>
            <RolloutStrip waves={r.waves} mode={r.mode} />
            <LabelGroup aria-label="Agents by state" numLabels={12} style={{ marginTop: 'var(--pf-t--global--spacer--md)' }}>
              {nonZero(r.counts).map(([state, n]) => (
                <Label key={state} isCompact>
                  {state.replaceAll('_', ' ').toLowerCase()}: {n}
                </Label>
              ))}
            </LabelGroup>
          </CardBody>
        </Card>
      </GridItem>
      <GridItem span={12}>
        <Sites rollout={r} />
      </GridItem>
      <GridItem span={12}>
        <Settings rollout={r} />
      </GridItem>
      <GridItem span={12}>
        <FailingAgents rollout={r} poll={connection !== 'live'} />
      </GridItem>
    </Grid>
  );
}

const CONNECTION: Record<Connection, { text: string; color: 'green' | 'orange' | 'grey' | 'blue'; title: string } | null> = {
  connecting: { text: 'connecting', color: 'blue', title: 'Opening the live feed' },
  live: { text: 'live', color: 'green', title: 'Changes arrive as they happen (Server-Sent Events)' },
  reconnecting: { text: 'reconnecting', color: 'orange', title: 'The live feed broke; resuming where it stopped' },
  polling: { text: 'polling', color: 'grey', title: 'The live feed is not available: asking every few seconds' },
  ended: null,
};

/** How current the page is: live over the event stream, reconnecting, or polling as the fallback. */
export function LiveIndicator({ connection }: { connection: Connection }) {
  const c = CONNECTION[connection];
  if (!c) return null;
  return (
    <Label color={c.color} isCompact variant="outline" title={c.title} aria-label={`Updates: ${c.text}`}>
      {c.text}
    </Label>
  );
}

function Completion({ rollout: r }: { rollout: Rollout }) {
  if (!r.estimatedCompletion) {
    return r.state === 'RUNNING' ? <span>Estimated completion: not yet known</span> : <span />;
  }
  const seconds = (new Date(r.estimatedCompletion).getTime() - Date.now()) / 1000;
  return (
    <span title="At the pace agents of the running waves finished over the last 10 minutes">
      Estimated completion: {when(r.estimatedCompletion)}
      {seconds > 0 ? ` (in ${duration(seconds)})` : ''}
    </span>
  );
}

function Settings({ rollout: r }: { rollout: Rollout }) {
  const t = r.target;
  const target = [t?.sites?.length && `sites ${t.sites.join(', ')}`, t?.labels?.length && `labels ${t.labels.join(', ')}`, t?.agentIds?.length && `${t.agentIds.length} agent ids`]
    .filter(Boolean)
    .join('; ');
  return (
    <Card>
      <CardTitle>Rollout</CardTitle>
      <CardBody>
        <DescriptionList isHorizontal isCompact columnModifier={{ lg: '2Col' }}>
          <DescriptionItem term="Release">
            <Link to={`/products/${encodeURIComponent(r.product)}/releases/${encodeURIComponent(r.version)}`}>
              {r.product} {r.version}
            </Link>
          </DescriptionItem>
          <DescriptionItem term="Target">{target || 'every active agent'}</DescriptionItem>
          <DescriptionItem term="Thresholds">
            {r.successThreshold} % must succeed; pause at {r.errorThreshold} % failed{r.errorThreshold === 0 ? ' (the first failure)' : ''}
          </DescriptionItem>
          <DescriptionItem term="Next wave">{r.advance === 'AUTO' ? 'starts by itself' : 'waits for Advance'}</DescriptionItem>
          <DescriptionItem term="Wave timeout">{r.waveTimeout ?? 'none'}</DescriptionItem>
          <DescriptionItem term="Mode">
            {r.mode === 'DOWNLOAD_ONLY' ? 'download only: agents download and seed, and install once someone presses Install' : 'install'}
          </DescriptionItem>
          <DescriptionItem term="Created">
            {when(r.createdAt)} by {r.createdBy}
          </DescriptionItem>
          <DescriptionItem term="Schedule">{r.startAt ? `starts at ${when(r.startAt)}` : 'starts as soon as it may (no start time)'}</DescriptionItem>
          <DescriptionItem term="Started">{r.startedAt ? when(r.startedAt) : 'not yet'}</DescriptionItem>
          {r.finishedAt && <DescriptionItem term="Ended">{when(r.finishedAt)}</DescriptionItem>}
          <DescriptionItem term="Maintenance window">
            <MaintenanceWindowText rollout={r} />
          </DescriptionItem>
          <DescriptionItem term="Deadline">
            {r.deadline ? `${when(r.deadline)}: from then on agents install outside the window too` : 'none'}
          </DescriptionItem>
          {(r.decidedBy || r.state === 'WAITING_FOR_APPROVAL') && (
            <DescriptionItem term="Approval">
              <Decision rollout={r} />
            </DescriptionItem>
          )}
        </DescriptionList>
      </CardBody>
    </Card>
  );
}

/** When installs may start: the cron in its time zone, how long each opening lasts, and the opening the agents go by. */
function MaintenanceWindowText({ rollout: r }: { rollout: Rollout }) {
  const w = r.maintenanceWindow;
  if (!w) return <>none: agents install as soon as they have downloaded</>;
  const o = r.windowOpening;
  return (
    <>
      opens at <code>{w.cron}</code> ({w.timezone}) for {isoDuration(w.duration)}
      <div>
        {!o ? 'opens no more (the expression matches no future time)' : windowOpen(r) ? `open now, until ${when(o.closesAt)}` : `next opens ${when(o.opensAt)}, until ${when(o.closesAt)}`}
      </div>
    </>
  );
}

/** Who approved or denied the rollout, when, and their comment; or who may still decide. */
function Decision({ rollout: r }: { rollout: Rollout }) {
  if (!r.decidedBy) return <>waiting: an admin other than {r.createdBy} must approve or deny it</>;
  return (
    <>
      {r.state === 'DENIED' ? 'denied' : 'approved'} by {r.decidedBy} at {when(r.decidedAt)}
      {r.decisionComment && <div>“{r.decisionComment}”</div>}
    </>
  );
}

function Sites({ rollout: r }: { rollout: Rollout }) {
  return (
    <Card>
      <CardTitle>Sites and where the bytes came from{r.releaseSize ? ` · release ${bytes(r.releaseSize)}` : ''}</CardTitle>
      <CardBody>
        {r.sites.length === 0 ? (
          <Empty title="No agents yet" />
        ) : (
          <Table aria-label="Sites" variant="compact">
            <Thead>
              <Tr>
                <Th>Site</Th>
                <Th>Agents</Th>
                <Th>Done</Th>
                <Th>Failed</Th>
                <Th>Same-site peers</Th>
                <Th>Other sites</Th>
                <Th>Origin</Th>
                <Th>Web seed</Th>
                <Th info={{ tooltip: 'Copies of the release that came into the site over the WAN: (other sites + origin + web seed) ÷ release size. About 1 is ideal.' }}>
                  WAN ratio
                </Th>
                <Th info={{ tooltip: 'Copies of the release the control plane served: (origin + web seed) ÷ release size.' }}>Origin ratio</Th>
              </Tr>
            </Thead>
            <Tbody>
              {r.sites.map((s) => (
                <Tr key={s.site ?? ''}>
                  <Td dataLabel="Site">{s.site ?? <em>no site</em>}</Td>
                  <Td dataLabel="Agents">{s.agents}</Td>
                  <Td dataLabel="Done">{succeeded(s.counts, r.mode)}</Td>
                  <Td dataLabel="Failed">{failed(s.counts)}</Td>
                  <Td dataLabel="Same-site peers">{bytes(s.bytes.sameSitePeers)}</Td>
                  <Td dataLabel="Other sites">{bytes(s.bytes.otherSitePeers)}</Td>
                  <Td dataLabel="Origin">{bytes(s.bytes.originSeeder)}</Td>
                  <Td dataLabel="Web seed">{bytes(s.bytes.webSeed)}</Td>
                  <Td dataLabel="WAN ratio">{copies(s.wanRatio)}</Td>
                  <Td dataLabel="Origin ratio">{copies(s.originRatio)}</Td>
                </Tr>
              ))}
              <Tr>
                <Th dataLabel="Site">All sites</Th>
                <Td dataLabel="Agents">{r.agents}</Td>
                <Td dataLabel="Done">{succeeded(r.counts, r.mode)}</Td>
                <Td dataLabel="Failed">{failed(r.counts)}</Td>
                <Td dataLabel="Same-site peers">{bytes(r.bytes.sameSitePeers)}</Td>
                <Td dataLabel="Other sites">{bytes(r.bytes.otherSitePeers)}</Td>
                <Td dataLabel="Origin">{bytes(r.bytes.originSeeder)}</Td>
                <Td dataLabel="Web seed">{bytes(r.bytes.webSeed)}</Td>
                <Td dataLabel="WAN ratio">{copies(r.wanRatio)}</Td>
                <Td dataLabel="Origin ratio">{copies(r.originRatio)}</Td>
              </Tr>
            </Tbody>
          </Table>
        )}
      </CardBody>
    </Card>
  );
}

/** @param poll the live feed is not there to say when the list changes */
function FailingAgents({ rollout: r, poll }: { rollout: Rollout; poll: boolean }) {
  const agents = useLiveRolloutAgents(r.id, 'FAILED', poll && !ENDED.includes(r.state) && failed(r.counts) > 0);
  if (failed(r.counts) === 0) return null;
  return (
    <Card>
      <CardTitle>Failing agents</CardTitle>
      <CardBody>
        <QueryView query={agents} what="the failing agents">
          {(list) => (
            <Table aria-label="Failing agents" variant="compact">
              <Thead>
                <Tr>
                  <Th>Agent</Th>
                  <Th>Site</Th>
                  <Th>Wave</Th>
                  <Th>Reason</Th>
                  <Th>Exit code</Th>
                  <Th>Output</Th>
                </Tr>
              </Thead>
              <Tbody>
                {list.map((a) => (
                  <Tr key={a.agentId}>
                    <Td dataLabel="Agent">
                      <Link to={`/agents/${a.agentId}`}>{a.hostname}</Link>
                    </Td>
                    <Td dataLabel="Site">{a.site ?? '—'}</Td>
                    <Td dataLabel="Wave">{a.wave}</Td>
                    <Td dataLabel="Reason">
                      {a.reason ?? '—'}
                      {a.detail && <div>{a.detail}</div>}
                    </Td>
                    <Td dataLabel="Exit code">{a.exitCode ?? '—'}</Td>
                    <Td dataLabel="Output">
                      {a.output?.length ? (
                        <ExpandableSection toggleText={`${a.output.length} lines`}>
                          <pre style={{ whiteSpace: 'pre-wrap' }}>{a.output.join('\n')}</pre>
                        </ExpandableSection>
                      ) : (
                        '—'
                      )}
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}
        </QueryView>
      </CardBody>
    </Card>
  );
}
