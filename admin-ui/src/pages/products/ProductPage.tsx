import { Button, Content } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { catalog } from '../../api/catalog';
import { Allowed } from '../../auth/session';
import { bytes, when } from '../../components/format';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { StateLabel } from '../../components/StateLabel';
import { ReleaseForm } from '../releases/ReleaseForm';

export default function ProductPage() {
  const { product = '' } = useParams();
  const navigate = useNavigate();
  const productQuery = useQuery({ queryKey: ['product', product], queryFn: () => catalog.product(product) });
  const releases = useQuery({ queryKey: ['releases', product], queryFn: () => catalog.releases(product) });
  const [creating, setCreating] = useState(false);
  const actions = (
    <Allowed to="editCatalog">
      <Button onClick={() => setCreating(true)}>Create release</Button>
    </Allowed>
  );
  return (
    <PageFrame title={product} actions={actions}>
      <QueryView query={productQuery} what="the product">
        {(p) => (
          <>
            {p.description && <Content component="p">{p.description}</Content>}
            <QueryView query={releases} what="releases">
              {(list) =>
                list.length === 0 ? (
                  <Empty title="No releases yet">Create a draft release, upload its files, then publish it.</Empty>
                ) : (
                  <Table aria-label="Releases" variant="compact">
                    <Thead>
                      <Tr>
                        <Th>Version</Th>
                        <Th>State</Th>
                        <Th>Sequence</Th>
                        <Th>Artifacts</Th>
                        <Th>Created</Th>
                        <Th>Published</Th>
                      </Tr>
                    </Thead>
                    <Tbody>
                      {list.map((r) => (
                        <Tr key={r.version}>
                          <Td dataLabel="Version">
                            <Link to={`/products/${encodeURIComponent(product)}/releases/${encodeURIComponent(r.version)}`}>{r.version}</Link>
                          </Td>
                          <Td dataLabel="State">
                            <StateLabel state={r.state} />
                          </Td>
                          <Td dataLabel="Sequence">{r.sequence ?? '—'}</Td>
                          <Td dataLabel="Artifacts">
                            {r.artifacts.length} ({bytes(r.artifacts.reduce((sum, a) => sum + a.size, 0))})
                          </Td>
                          <Td dataLabel="Created">
                            {when(r.createdAt)} by {r.createdBy}
                          </Td>
                          <Td dataLabel="Published">{when(r.publishedAt)}</Td>
                        </Tr>
                      ))}
                    </Tbody>
                  </Table>
                )
              }
            </QueryView>
          </>
        )}
      </QueryView>
      {creating && (
        <ReleaseForm
          product={product}
          onClose={() => setCreating(false)}
          onCreated={(r) => navigate(`/products/${encodeURIComponent(product)}/releases/${encodeURIComponent(r.version)}`)}
        />
      )}
    </PageFrame>
  );
}
