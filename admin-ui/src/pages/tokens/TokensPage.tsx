import {
  Alert,
  Button,
  ClipboardCopy,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  Stack,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { catalog } from '../../api/catalog';
import { fleet } from '../../api/fleet';
import { isProductName, PRODUCT_RULE } from '../../api/names';
import { sites } from '../../api/sites';
import type { EnrollmentToken } from '../../api/types';
import { Allowed, useCan } from '../../auth/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { FormDialog } from '../../components/FormDialog';
import { when } from '../../components/format';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { StateLabel } from '../../components/StateLabel';

const LIFETIMES = [
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86400 },
  { label: '7 days', seconds: 7 * 86400 },
  { label: '30 days', seconds: 30 * 86400 },
];

export default function TokensPage() {
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: fleet.tokens });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<EnrollmentToken>();
  const [revoking, setRevoking] = useState<EnrollmentToken>();
  const canEdit = useCan('editTokens');
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => fleet.revokeToken(id),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['tokens'] });
      setRevoking(undefined);
    },
  });
  const actions = (
    <Allowed to="editTokens">
      <Button onClick={() => setCreating(true)}>Create token</Button>
    </Allowed>
  );
  return (
    <PageFrame title="Enrollment tokens" actions={actions}>
      <QueryView query={tokens} what="enrollment tokens">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No enrollment tokens">A machine enrolls with a token: create one, then run the command it shows on the machine.</Empty>
          ) : (
            <Table aria-label="Enrollment tokens" variant="compact">
              <Thead>
                <Tr>
                  <Th>Status</Th>
                  <Th>Uses left</Th>
                  <Th>Expires</Th>
                  <Th>Site</Th>
                  <Th>Labels</Th>
                  <Th>Created</Th>
                  {canEdit && <Th screenReaderText="Actions" />}
                </Tr>
              </Thead>
              <Tbody>
                {list.map((t) => (
                  <Tr key={t.id}>
                    <Td dataLabel="Status">
                      <StateLabel state={t.status} />
                    </Td>
                    <Td dataLabel="Uses left">
                      {t.usesLeft} of {t.usesTotal}
                    </Td>
                    <Td dataLabel="Expires">{when(t.expiresAt)}</Td>
                    <Td dataLabel="Site">{t.site ?? '—'}</Td>
                    <Td dataLabel="Labels">{t.labels.join(', ') || '—'}</Td>
                    <Td dataLabel="Created">
                      {when(t.createdAt)} by {t.createdBy}
                    </Td>
                    {canEdit && (
                      <Td dataLabel="Actions" isActionCell>
                        {t.status === 'ACTIVE' && (
                          <Button variant="danger" size="sm" onClick={() => setRevoking(t)}>
                            Revoke
                          </Button>
                        )}
                      </Td>
                    )}
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )
        }
      </QueryView>
      {creating && (
        <CreateToken
          onClose={() => setCreating(false)}
          onCreated={(t) => {
            setCreating(false);
            setCreated(t);
          }}
        />
      )}
      {created && <ShowOnce token={created} onClose={() => setCreated(undefined)} />}
      {revoking && (
        <ConfirmDialog
          title="Revoke this enrollment token?"
          confirmLabel="Revoke"
          danger
          busy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate(revoking.id)}
          onClose={() => {
            setRevoking(undefined);
            revoke.reset();
          }}
        >
          No further machine can enroll with it. Agents already enrolled with it stay enrolled.
        </ConfirmDialog>
      )}
    </PageFrame>
  );
}

function CreateToken({ onClose, onCreated }: { onClose: () => void; onCreated: (t: EnrollmentToken) => void }) {
  const [uses, setUses] = useState('1');
  const [lifetime, setLifetime] = useState(String(86400));
  const [site, setSite] = useState('');
  const [labelText, setLabelText] = useState('');
  const siteList = useQuery({ queryKey: ['sites'], queryFn: sites.list });
  const client = useQueryClient();
  const labels = labelText.split(/[,\s]+/).filter(Boolean);
  const create = useMutation({
    mutationFn: () => fleet.createToken({ uses: Number(uses), expiresInSeconds: Number(lifetime), site: site || undefined, labels }),
    onSuccess: (t) => {
      void client.invalidateQueries({ queryKey: ['tokens'] });
      onCreated(t);
    },
  });
  const usesNumber = Number(uses);
  const usesError = !Number.isInteger(usesNumber) || usesNumber < 1 || usesNumber > 10000 ? 'A whole number from 1 to 10,000' : undefined;
  const badLabel = labels.find((l) => !isProductName(l));
  const labelError = badLabel ? `"${badLabel}": labels must be ${PRODUCT_RULE}` : labels.length > 32 ? 'At most 32 labels' : undefined;
  return (
    <FormDialog
      title="Create enrollment token"
      submitLabel="Create"
      canSubmit={!usesError && !labelError}
      busy={create.isPending}
      error={create.error}
      onSubmit={() => create.mutate()}
      onClose={onClose}
    >
      <Field id="token-uses" label="Machines that may enroll with it" type="number" value={uses} onChange={setUses} error={usesError} />
      <FormGroup label="Valid for" fieldId="token-lifetime">
        <FormSelect id="token-lifetime" value={lifetime} onChange={(_e, v) => setLifetime(v)}>
          {LIFETIMES.map((l) => (
            <FormSelectOption key={l.seconds} value={String(l.seconds)} label={l.label} />
          ))}
        </FormSelect>
      </FormGroup>
      <FormGroup label="Site" fieldId="token-site">
        <FormSelect id="token-site" value={site} onChange={(_e, v) => setSite(v)}>
          <FormSelectOption value="" label="By the machine's address" />
          {(siteList.data ?? []).map((s) => (
            <FormSelectOption key={s.name} value={s.name} label={s.name} />
          ))}
        </FormSelect>
      </FormGroup>
      <Field id="token-labels" label="Labels" value={labelText} onChange={setLabelText} error={labelError} help="Every agent enrolled with it carries these, e.g. finance, floor-3" />
    </FormDialog>
  );
}

/**
 * The token's value exists in this answer only: the control plane keeps its hash. The command
 * pins keys read here, over the admin's own session, so an agent enrolling through a tampered
 * network refuses keys it was not told about: the offline root when a key set signed by it is in
 * force (the agent then follows rotations without enrolling again), else the manifest signing keys.
 */
function ShowOnce({ token, onClose }: { token: EnrollmentToken; onClose: () => void }) {
  const keys = useQuery({ queryKey: ['signing-keys'], queryFn: catalog.signingKeys });
  const keySet = useQuery({ queryKey: ['key-set'], queryFn: catalog.keySet, retry: false });
  const root = keySet.data?.rootFingerprint;
  const manifestKeys = root ? [] : (keys.data ?? []).filter((k) => k.active);
  const pins = root
    ? ` --root-key-fingerprint ${root}`
    : manifestKeys.map((k) => ` --manifest-key-fingerprint ${k.fingerprint}`).join('');
  const command = `java -jar starling-agent-runner.jar enroll --server ${window.location.origin} --token ${token.token}${pins}`;
  return (
    <Modal variant="medium" isOpen onClose={onClose} aria-labelledby="token-title">
      <ModalHeader title="Enrollment token created" labelId="token-title" />
      <ModalBody>
        <Stack hasGutter>
          <Alert variant="warning" isInline title="Copy it now: it is shown only this once." />
          <FormGroup label="Token" fieldId="token-value">
            <ClipboardCopy id="token-value" isReadOnly hoverTip="Copy" clickTip="Copied">
              {token.token ?? ''}
            </ClipboardCopy>
          </FormGroup>
          <FormGroup label="On the machine to enroll" fieldId="token-command">
            {/* Remounted once the keys arrive: ClipboardCopy keeps its first text. */}
            <ClipboardCopy key={pins} id="token-command" isReadOnly isCode hoverTip="Copy" clickTip="Copied">
              {command}
            </ClipboardCopy>
          </FormGroup>
          {root && (
            <p className="pf-v6-u-font-size-sm">
              Offline root key {keySet.data?.rootKeyId}, fingerprint <code>{root}</code>: the agent prints it after
              enrolling, and follows the manifest keys this root signs for.
            </p>
          )}
          {manifestKeys.map((k) => (
            <p key={k.keyId} className="pf-v6-u-font-size-sm">
              Manifest signing key {k.keyId}, fingerprint <code>{k.fingerprint}</code>: the agent prints it after enrolling.
            </p>
          ))}
        </Stack>
      </ModalBody>
      <ModalFooter>
        <Button onClick={onClose}>Done</Button>
      </ModalFooter>
    </Modal>
  );
}
