import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQuery } from '@tanstack/react-query';
import { webhooks, type Delivery } from '../../api/webhooks';
import { when } from '../../components/format';
import { Empty, QueryView } from '../../components/PageStates';
import { StateLabel } from '../../components/StateLabel';

/** How often an open delivery log asks again while a delivery is still pending. */
export const DELIVERIES_POLL_MS = 5000;

/** A hook's delivery log, newest first; asks again while something is still pending. */
export function Deliveries({ hookId }: { hookId: string }) {
  const log = useQuery({
    queryKey: ['webhooks', hookId, 'deliveries'],
    queryFn: () => webhooks.deliveries(hookId),
    refetchInterval: (q) => (q.state.data?.some((d) => d.state === 'PENDING') ? DELIVERIES_POLL_MS : false),
  });
  return (
    <QueryView query={log} what="the delivery log">
      {(list) =>
        list.length === 0 ? (
          <Empty title="Nothing delivered yet">Deliveries appear here with the next matching rollout event; Send test queues one now.</Empty>
        ) : (
          <Table aria-label="Deliveries" variant="compact">
            <Thead>
              <Tr>
                <Th>Event</Th>
                <Th>Status</Th>
                <Th>Attempts</Th>
                <Th>Last answer</Th>
                <Th>Next attempt</Th>
                <Th>Queued</Th>
              </Tr>
            </Thead>
            <Tbody>
              {list.map((d) => (
                <Tr key={d.id}>
                  <Td dataLabel="Event">
                    {d.eventType}
                    {d.eventId != null ? ` #${d.eventId}` : ' (test)'}
                  </Td>
                  <Td dataLabel="Status">
                    <StateLabel state={d.state} />
                  </Td>
                  <Td dataLabel="Attempts">{d.attempts}</Td>
                  <Td dataLabel="Last answer">{lastAnswer(d)}</Td>
                  <Td dataLabel="Next attempt">{d.state === 'PENDING' ? (d.nextAttemptAt ? when(d.nextAttemptAt) : 'now') : '—'}</Td>
                  <Td dataLabel="Queued">{when(d.createdAt)}</Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )
      }
    </QueryView>
  );
}

/** The receiver's last HTTP status and the error, or when it was delivered. */
function lastAnswer(d: Delivery): string {
  if (d.state === 'DELIVERED') return `delivered ${when(d.deliveredAt)}${d.lastStatus ? ` (HTTP ${d.lastStatus})` : ''}`;
  if (d.lastError) return d.lastStatus && !d.lastError.includes(String(d.lastStatus)) ? `HTTP ${d.lastStatus}: ${d.lastError}` : d.lastError;
  if (d.lastStatus) return `HTTP ${d.lastStatus}`;
  return d.attempts === 0 ? 'not tried yet' : '—';
}
