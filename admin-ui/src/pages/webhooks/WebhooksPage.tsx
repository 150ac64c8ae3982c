import { Alert, Button, Card, CardBody, CardTitle, Flex } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { webhooks, type Webhook } from '../../api/webhooks';
import { useCan } from '../../auth/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { when } from '../../components/format';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Deliveries } from './Deliveries';
import { CreateWebhook, SecretOnce } from './WebhookForm';

/** Webhooks: admins only, as the API (a hook's URL may carry a credential, and deliveries leave the company). */
export default function WebhooksPage() {
  return useCan('manageWebhooks') ? (
    <Hooks />
  ) : (
    <PageFrame title="Webhooks">
      <Empty title="Your role may not manage webhooks">Only admins see and change webhooks: a hook’s address may carry a credential of its own.</Empty>
    </PageFrame>
  );
}

function Hooks() {
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: webhooks.list });
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ hook: Webhook; secret: string }>();
  const [deleting, setDeleting] = useState<Webhook>();
  const [shown, setShown] = useState<string>();
  const remove = useMutation({
    mutationFn: (id: string) => webhooks.remove(id),
    onSuccess: (_r, id) => {
      void client.invalidateQueries({ queryKey: ['webhooks'] });
      if (shown === id) setShown(undefined);
      setDeleting(undefined);
    },
  });
  const test = useMutation({
    mutationFn: (id: string) => webhooks.test(id),
    onSuccess: (_d, id) => {
      setShown(id);
      void client.invalidateQueries({ queryKey: ['webhooks', id, 'deliveries'] });
    },
  });
  const shownHook = hooks.data?.find((h) => h.id === shown);
  return (
    <PageFrame title="Webhooks" actions={<Button onClick={() => setCreating(true)}>Create webhook</Button>}>
      <ProblemAlert error={test.error} title="The test delivery was refused" />
      <QueryView query={hooks} what="webhooks">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No webhooks">A webhook POSTs rollout events, signed, to a team’s endpoint: a chat bridge, an incident tool.</Empty>
          ) : (
            <Table aria-label="Webhooks" variant="compact">
              <Thead>
                <Tr>
                  <Th>URL</Th>
                  <Th>Events</Th>
                  <Th>Signed</Th>
                  <Th>Created</Th>
                  <Th screenReaderText="Actions" />
                </Tr>
              </Thead>
              <Tbody>
                {list.map((h) => (
                  <Tr key={h.id} isRowSelected={h.id === shown}>
                    <Td dataLabel="URL" modifier="breakWord">
                      {h.url}
                    </Td>
                    <Td dataLabel="Events">{h.events.join(', ')}</Td>
                    <Td dataLabel="Signed">{h.secretSet ? 'yes' : 'no'}</Td>
                    <Td dataLabel="Created">
                      {when(h.createdAt)} by {h.createdBy}
                    </Td>
                    <Td dataLabel="Actions" isActionCell>
                      {/* Each name starts with the button's text (WCAG 2.5.3) and says which hook. */}
                      <Flex flexWrap={{ default: 'nowrap' }} spaceItems={{ default: 'spaceItemsSm' }}>
                        <Button variant="secondary" size="sm" aria-label={`${h.id === shown ? 'Hide deliveries' : 'Deliveries'} to ${h.url}`} onClick={() => setShown(h.id === shown ? undefined : h.id)}>
                          {h.id === shown ? 'Hide deliveries' : 'Deliveries'}
                        </Button>
                        <Button variant="secondary" size="sm" aria-label={`Send test to ${h.url}`} isDisabled={test.isPending} onClick={() => test.mutate(h.id)}>
                          Send test
                        </Button>
                        <Button variant="danger" size="sm" aria-label={`Delete ${h.url}`} onClick={() => setDeleting(h)}>
                          Delete
                        </Button>
                      </Flex>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )
        }
      </QueryView>
      {shownHook && (
        <Card style={{ marginTop: 'var(--pf-t--global--spacer--lg)' }}>
          <CardTitle>Deliveries to {shownHook.url}</CardTitle>
          <CardBody>
            {test.isSuccess && test.variables === shownHook.id && (
              <Alert variant="info" isInline isPlain component="p" title="Test delivery queued: a ping, signed and retried like an event." />
            )}
            <Deliveries hookId={shownHook.id} />
          </CardBody>
        </Card>
      )}
      {creating && (
        <CreateWebhook
          onClose={() => setCreating(false)}
          onCreated={(hook, secret) => {
            setCreating(false);
            if (secret) setCreated({ hook, secret });
          }}
        />
      )}
      {created && <SecretOnce hook={created.hook} secret={created.secret} onClose={() => setCreated(undefined)} />}
      {deleting && (
        <ConfirmDialog
          title="Delete this webhook?"
          confirmLabel="Delete"
          danger
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(deleting.id)}
          onClose={() => {
            setDeleting(undefined);
            remove.reset();
          }}
        >
          {deleting.url} gets no further events, and its delivery log is deleted with it. A delivery being sent at this moment may still arrive.
        </ConfirmDialog>
      )}
    </PageFrame>
  );
}
