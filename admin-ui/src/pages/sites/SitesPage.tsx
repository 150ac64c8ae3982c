import { Button, Flex } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isProductName, PRODUCT_RULE } from '../../api/names';
import { sites } from '../../api/sites';
import type { Site } from '../../api/types';
import { Allowed, useCan } from '../../auth/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { FormDialog } from '../../components/FormDialog';
import { when } from '../../components/format';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { cidrErrors } from './cidr';

type Editing = { site?: Site } | undefined;

export default function SitesPage() {
  const list = useQuery({ queryKey: ['sites'], queryFn: sites.list });
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<Site>();
  const canEdit = useCan('editSites');
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (name: string) => sites.delete(name),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['sites'] });
      setDeleting(undefined);
    },
  });
  const actions = (
    <Allowed to="editSites">
      <Button onClick={() => setEditing({})}>Create site</Button>
    </Allowed>
  );
  return (
    <PageFrame title="Sites" actions={actions}>
      <QueryView query={list} what="sites">
        {(all) =>
          all.length === 0 ? (
            <Empty title="No sites yet">A site is a set of address ranges whose machines share a fast network; peers on the same site are preferred.</Empty>
          ) : (
            <Table aria-label="Sites" variant="compact">
              <Thead>
                <Tr>
                  <Th>Name</Th>
                  <Th>Description</Th>
                  <Th>Ranges</Th>
                  <Th>Updated</Th>
                  {canEdit && <Th screenReaderText="Actions" />}
                </Tr>
              </Thead>
              <Tbody>
                {all.map((s) => (
                  <Tr key={s.name}>
                    <Td dataLabel="Name">{s.name}</Td>
                    <Td dataLabel="Description">{s.description}</Td>
                    <Td dataLabel="Ranges">{s.cidrs.join(', ')}</Td>
                    <Td dataLabel="Updated">
                      {when(s.updatedAt ?? s.createdAt)} by {s.updatedBy ?? s.createdBy}
                    </Td>
                    {canEdit && (
                      <Td dataLabel="Actions" isActionCell>
                        <Flex flexWrap={{ default: 'nowrap' }}>
                          <Button variant="secondary" size="sm" onClick={() => setEditing({ site: s })}>
                            Edit
                          </Button>
                          <Button variant="danger" size="sm" onClick={() => setDeleting(s)}>
                            Delete
                          </Button>
                        </Flex>
                      </Td>
                    )}
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )
        }
      </QueryView>
      {editing && <SiteForm site={editing.site} onClose={() => setEditing(undefined)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete site ${deleting.name}?`}
          confirmLabel="Delete"
          danger
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(deleting.name)}
          onClose={() => {
            setDeleting(undefined);
            remove.reset();
          }}
        >
          Its machines then belong to no site: the tracker no longer prefers their neighbours.
        </ConfirmDialog>
      )}
    </PageFrame>
  );
}

function SiteForm({ site, onClose }: { site?: Site; onClose: () => void }) {
  const [name, setName] = useState(site?.name ?? '');
  const [description, setDescription] = useState(site?.description ?? '');
  const [ranges, setRanges] = useState((site?.cidrs ?? []).join('\n'));
  const client = useQueryClient();
  const lines = ranges.split('\n').map((l) => l.trim()).filter(Boolean);
  const save = useMutation({
    mutationFn: () => {
      const body = { name, description: description || undefined, cidrs: lines };
      return site ? sites.update(site.name, body) : sites.create(body);
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['sites'] });
      onClose();
    },
  });
  const nameError = name && !isProductName(name) ? `Must be ${PRODUCT_RULE}` : undefined;
  const rangeErrors = cidrErrors(lines);
  const rangeError = rangeErrors.length ? rangeErrors.join('; ') : lines.length > 256 ? 'At most 256 ranges' : undefined;
  return (
    <FormDialog
      title={site ? `Edit site ${site.name}` : 'Create site'}
      submitLabel={site ? 'Save' : 'Create'}
      canSubmit={!!name && !nameError && lines.length > 0 && !rangeError}
      busy={save.isPending}
      error={save.error}
      onSubmit={() => save.mutate()}
      onClose={onClose}
    >
      {!site && <Field id="site-name" label="Name" isRequired value={name} onChange={setName} error={nameError} help={PRODUCT_RULE} />}
      <Field id="site-description" label="Description" value={description} onChange={setDescription} />
      <Field
        id="site-cidrs"
        label="Address ranges"
        isRequired
        multiline
        value={ranges}
        onChange={setRanges}
        placeholder={'10.1.0.0/16\n2001:db8:1::/48'}
        error={rangeError}
        help="One CIDR range per line, IPv4 or IPv6, host bits zero. Ranges may not overlap each other or another site's."
      />
    </FormDialog>
  );
}
