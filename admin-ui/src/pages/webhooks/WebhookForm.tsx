import {
  Alert,
  Button,
  Checkbox,
  ClipboardCopy,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  InputGroup,
  InputGroupItem,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  Stack,
  TextInput,
} from '@patternfly/react-core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { EVENT_TYPES, webhooks, type Webhook } from '../../api/webhooks';
import { Field } from '../../components/Field';
import { FormDialog } from '../../components/FormDialog';
import { EMPTY_WEBHOOK, EVENT_HELP, eventsError, newSecret, secretError, toWebhookRequest, urlError, webhookFormValid, type WebhookFormValues } from './webhookForm';

/**
 * A new hook: URL, event types, and a secret the console can generate. Errors show once a field
 * was touched (or on submit); the API's refusal names every bad field and keeps the form filled.
 * @param onCreated gets the hook and the secret it was created with ('' for none): the API never shows it again
 */
export function CreateWebhook({ onClose, onCreated }: { onClose: () => void; onCreated: (hook: Webhook, secret: string) => void }) {
  const [v, setV] = useState<WebhookFormValues>(EMPTY_WEBHOOK);
  const [touched, setTouched] = useState(false);
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: () => webhooks.create(toWebhookRequest(v)),
    onSuccess: (hook) => {
      void client.invalidateQueries({ queryKey: ['webhooks'] });
      onCreated(hook, v.secret);
    },
  });
  const set = (patch: Partial<WebhookFormValues>) => setV((old) => ({ ...old, ...patch }));
  const show = (error: string | undefined) => (touched ? error : undefined);
  const secretProblem = secretError(v.secret);
  const eventsProblem = show(eventsError(v.events));
  return (
    <FormDialog
      title="Create webhook"
      submitLabel="Create"
      busy={create.isPending}
      error={create.error}
      onSubmit={() => {
        setTouched(true);
        if (webhookFormValid(v)) create.mutate();
      }}
      onClose={onClose}
    >
      <Field
        id="webhook-url"
        label="URL"
        isRequired
        value={v.url}
        onChange={(url) => set({ url })}
        error={touched || v.url ? urlError(v.url) : undefined}
        placeholder="https://chat.example.com/hooks/rollouts"
        help="Each event is POSTed here as JSON; redirects are not followed."
      />
      <FormGroup label="Events" fieldId="webhook-events" isRequired role="group">
        {EVENT_TYPES.map((e) => (
          <Checkbox
            key={e}
            id={`webhook-event-${e}`}
            label={e}
            description={EVENT_HELP[e]}
            isChecked={v.events.includes(e)}
            onChange={(_ev, on) => set({ events: on ? [...v.events, e] : v.events.filter((x) => x !== e) })}
          />
        ))}
        {eventsProblem && (
          <FormHelperText>
            <HelperText>
              <HelperTextItem variant="error">{eventsProblem}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        )}
      </FormGroup>
      <FormGroup label="Secret" fieldId="webhook-secret">
        <InputGroup>
          <InputGroupItem isFill>
            <TextInput id="webhook-secret" value={v.secret} onChange={(_e, secret) => set({ secret })} validated={secretProblem ? 'error' : 'default'} autoComplete="off" />
          </InputGroupItem>
          <InputGroupItem>
            <Button variant="control" onClick={() => set({ secret: newSecret() })}>
              Generate
            </Button>
          </InputGroupItem>
        </InputGroup>
        <FormHelperText>
          <HelperText>
            <HelperTextItem variant={secretProblem ? 'error' : 'default'}>
              {secretProblem ?? 'Signs every delivery (X-Starling-Signature, HMAC-SHA256); the receiver needs it too. Empty: unsigned.'}
            </HelperTextItem>
          </HelperText>
        </FormHelperText>
      </FormGroup>
    </FormDialog>
  );
}

/** The secret exists only in this browser now: the control plane keeps it to sign with, and never shows it. */
export function SecretOnce({ hook, secret, onClose }: { hook: Webhook; secret: string; onClose: () => void }) {
  return (
    <Modal variant="medium" isOpen onClose={onClose} aria-labelledby="secret-title">
      <ModalHeader title="Webhook created" labelId="secret-title" />
      <ModalBody>
        <Stack hasGutter>
          <Alert variant="warning" isInline title="Copy the secret now: it is shown only this once.">
            Give it to the receiver at {hook.url}: it checks X-Starling-Signature with it. The console and the API never show it again.
          </Alert>
          <FormGroup label="Secret" fieldId="webhook-secret-value">
            <ClipboardCopy id="webhook-secret-value" isReadOnly hoverTip="Copy" clickTip="Copied">
              {secret}
            </ClipboardCopy>
          </FormGroup>
        </Stack>
      </ModalBody>
      <ModalFooter>
        <Button onClick={onClose}>Done</Button>
      </ModalFooter>
    </Modal>
  );
}
