import { Button } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { catalog } from '../../api/catalog';
import { isProductName, PRODUCT_RULE } from '../../api/names';
import { Allowed } from '../../auth/session';
import { Field } from '../../components/Field';
import { FormDialog } from '../../components/FormDialog';
import { when } from '../../components/format';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';

export default function ProductsPage() {
  const products = useQuery({ queryKey: ['products'], queryFn: catalog.products });
  const [creating, setCreating] = useState(false);
  const createButton = (
    <Allowed to="editCatalog">
      <Button onClick={() => setCreating(true)}>Create product</Button>
    </Allowed>
  );
  return (
    <PageFrame title="Products and releases" actions={createButton}>
      <QueryView query={products} what="products">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No products yet">A product holds the releases you publish, e.g. "office-suite".</Empty>
          ) : (
            <Table aria-label="Products" variant="compact">
              <Thead>
                <Tr>
                  <Th>Name</Th>
                  <Th>Description</Th>
                  <Th>Releases published</Th>
                  <Th>Created</Th>
                </Tr>
              </Thead>
              <Tbody>
                {list.map((p) => (
                  <Tr key={p.name}>
                    <Td dataLabel="Name">
                      <Link to={`/products/${encodeURIComponent(p.name)}`}>{p.name}</Link>
                    </Td>
                    <Td dataLabel="Description">{p.description}</Td>
                    <Td dataLabel="Releases published">{p.lastSequence}</Td>
                    <Td dataLabel="Created">
                      {when(p.createdAt)} by {p.createdBy}
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )
        }
      </QueryView>
      {creating && <CreateProduct onClose={() => setCreating(false)} />}
    </PageFrame>
  );
}

function CreateProduct({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const client = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () => catalog.createProduct({ name, description: description || undefined }),
    onSuccess: (p) => {
      void client.invalidateQueries({ queryKey: ['products'] });
      navigate(`/products/${encodeURIComponent(p.name)}`);
    },
  });
  const nameError = name && !isProductName(name) ? `Must be ${PRODUCT_RULE}` : undefined;
  return (
    <FormDialog
      title="Create product"
      submitLabel="Create"
      canSubmit={!!name && !nameError}
      busy={create.isPending}
      error={create.error}
      onSubmit={() => create.mutate()}
      onClose={onClose}
    >
      <Field id="product-name" label="Name" isRequired value={name} onChange={setName} error={nameError} help={PRODUCT_RULE} />
      <Field id="product-description" label="Description" multiline value={description} onChange={setDescription} />
    </FormDialog>
  );
}
