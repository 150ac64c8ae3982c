import {
  Button,
  ClipboardCopy,
  ClipboardCopyVariant,
  DescriptionList,
  Flex,
  Grid,
  GridItem,
  Card,
  CardBody,
  CardTitle,
  Tooltip,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { catalog } from '../../api/catalog';
import { seg } from '../../api/http';
import type { Release } from '../../api/types';
import { Allowed } from '../../auth/session';
import { ArtifactUploader } from '../../components/ArtifactUploader';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { bytes, when } from '../../components/format';
import { DescriptionItem } from '../../components/DescriptionItem';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StateLabel } from '../../components/StateLabel';

type Pending = 'publish' | 'revoke' | undefined;

export default function ReleasePage() {
  const { product = '', version = '' } = useParams();
  const client = useQueryClient();
  const key = ['release', product, version];
  const release = useQuery({ queryKey: key, queryFn: () => catalog.release(product, version) });
  const [pending, setPending] = useState<Pending>();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: key });
    void client.invalidateQueries({ queryKey: ['releases', product] });
  };
  const change = useMutation({
    mutationFn: (what: 'publish' | 'revoke') => (what === 'publish' ? catalog.publish(product, version) : catalog.revoke(product, version)),
    onSuccess: (r) => {
      client.setQueryData(key, r);
      refresh();
      setPending(undefined);
    },
  });
  const close = () => {
    setPending(undefined);
    change.reset();
  };

  const actions = release.data && (
    <Allowed to="editCatalog">
      <Flex>
        {release.data.state === 'DRAFT' &&
          (release.data.artifacts.length === 0 ? (
            <Tooltip content="Upload the release's files first: a release without artifacts cannot be published.">
              <Button isAriaDisabled>Publish</Button>
            </Tooltip>
          ) : (
            <Button onClick={() => setPending('publish')}>Publish</Button>
          ))}
        {release.data.state === 'PUBLISHED' && (
          <Button variant="danger" onClick={() => setPending('revoke')}>
            Revoke
          </Button>
        )}
      </Flex>
    </Allowed>
  );

  return (
    <PageFrame
      title={
        <>
          {product} {version} {release.data && <StateLabel state={release.data.state} />}
        </>
      }
      actions={actions}
    >
      <QueryView query={release} what="the release">
        {(r) => (
          <Grid hasGutter>
            <GridItem md={6}>
              <Summary release={r} />
            </GridItem>
            <GridItem md={6}>
              <Install release={r} />
            </GridItem>
            {r.state === 'DRAFT' && (
              <GridItem span={12}>
                <Allowed to="editCatalog">
                  <Card>
                    <CardTitle>Upload artifacts</CardTitle>
                    <CardBody>
                      <ArtifactUploader product={product} version={version} onUploaded={refresh} />
                    </CardBody>
                  </Card>
                </Allowed>
              </GridItem>
            )}
            <GridItem span={12}>
              <Artifacts release={r} />
            </GridItem>
            {r.state !== 'DRAFT' && (
              <GridItem span={12}>
                <Manifest release={r} />
              </GridItem>
            )}
          </Grid>
        )}
      </QueryView>
      {pending === 'publish' && (
        <ConfirmDialog title={`Publish ${product} ${version}?`} confirmLabel="Publish" busy={change.isPending} error={change.error} onConfirm={() => change.mutate('publish')} onClose={close}>
          Publishing signs the manifest and starts seeding. The files can no longer change; agents can be given this release.
        </ConfirmDialog>
      )}
      {pending === 'revoke' && (
        <ConfirmDialog title={`Revoke ${product} ${version}?`} confirmLabel="Revoke" danger busy={change.isPending} error={change.error} onConfirm={() => change.mutate('revoke')} onClose={close}>
          Agents stop downloading it and its deployments that have not started installing are cancelled. This cannot be undone.
        </ConfirmDialog>
      )}
    </PageFrame>
  );
}

function Summary({ release: r }: { release: Release }) {
  return (
    <Card isFullHeight>
      <CardTitle>Release</CardTitle>
      <CardBody>
        <DescriptionList isHorizontal isCompact>
          <DescriptionItem term="Notes">{r.notes || '—'}</DescriptionItem>
          <DescriptionItem term="Created">
            {when(r.createdAt)} by {r.createdBy}
          </DescriptionItem>
          <DescriptionItem term="Published">{when(r.publishedAt)}</DescriptionItem>
          <DescriptionItem term="Sequence">{r.sequence ?? '—'}</DescriptionItem>
          <DescriptionItem term="Signing key id">{r.keyId ?? '—'}</DescriptionItem>
          <DescriptionItem term="Signature expires">{when(r.expiresAt)}</DescriptionItem>
          {r.revokedAt && <DescriptionItem term="Revoked">{when(r.revokedAt)}</DescriptionItem>}
        </DescriptionList>
      </CardBody>
    </Card>
  );
}

function Install({ release: r }: { release: Release }) {
  const spec = r.install;
  return (
    <Card isFullHeight>
      <CardTitle>Install</CardTitle>
      <CardBody>
        {!spec ? (
          'Agents only download the files.'
        ) : (
          <DescriptionList isHorizontal isCompact>
            <DescriptionItem term="Archive">{spec.archive ?? '—'}</DescriptionItem>
            <DescriptionItem term="Command">{spec.command ? <code>{spec.command.join(' ')}</code> : '—'}</DescriptionItem>
            <DescriptionItem term="Timeout">{spec.timeoutSeconds ?? 300} s</DescriptionItem>
            <DescriptionItem term="Health check">{spec.healthCheck ? <code>{spec.healthCheck.join(' ')}</code> : '—'}</DescriptionItem>
          </DescriptionList>
        )}
      </CardBody>
    </Card>
  );
}

function Artifacts({ release: r }: { release: Release }) {
  const [error, setError] = useState<unknown>();
  const download = async (file: string) => {
    setError(undefined);
    try {
      const blob = await catalog.torrent(r.product, r.version, file);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${file}.torrent`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Card>
      <CardTitle>Artifacts</CardTitle>
      <CardBody>
        <ProblemAlert error={error} title="Could not download the torrent" />
        {r.artifacts.length === 0 ? (
          <Empty title="No artifacts">{r.state === 'DRAFT' ? 'Upload the files of this release above.' : 'This release has no files.'}</Empty>
        ) : (
          <Table aria-label="Artifacts" variant="compact">
            <Thead>
              <Tr>
                <Th>File</Th>
                <Th>Size</Th>
                <Th>SHA-256</Th>
                <Th>Uploaded</Th>
                <Th screenReaderText="Torrent" />
              </Tr>
            </Thead>
            <Tbody>
              {r.artifacts.map((a) => (
                <Tr key={a.name}>
                  <Td dataLabel="File">{a.name}</Td>
                  <Td dataLabel="Size">{bytes(a.size)}</Td>
                  <Td dataLabel="SHA-256">
                    <code title={a.sha256}>{a.sha256.slice(0, 16)}…</code>
                  </Td>
                  <Td dataLabel="Uploaded">{when(a.uploadedAt)}</Td>
                  <Td dataLabel="Torrent">
                    {r.state === 'PUBLISHED' && (
                      <Button variant="link" isInline onClick={() => void download(a.name)}>
                        Download .torrent
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
        {r.state === 'PUBLISHED' && r.artifacts.length > 0 && (
          <p>
            <Link to={`/swarms?product=${seg(r.product)}&version=${seg(r.version)}`}>Swarms of these files</Link>: who seeds them, who is downloading, by site.
          </p>
        )}
      </CardBody>
    </Card>
  );
}

function Manifest({ release: r }: { release: Release }) {
  const manifest = useQuery({ queryKey: ['manifest', r.product, r.version], queryFn: () => catalog.manifest(r.product, r.version) });
  const signature = useQuery({ queryKey: ['signature', r.product, r.version], queryFn: () => catalog.signature(r.product, r.version) });
  return (
    <Card>
      <CardTitle>Signed manifest (key {r.keyId})</CardTitle>
      <CardBody>
        <QueryView query={signature} what="the signature">
          {(sig) => (
            <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" aria-label="Ed25519 signature">
              {sig.trim()}
            </ClipboardCopy>
          )}
        </QueryView>
        <QueryView query={manifest} what="the manifest">
          {(text) => (
            <ClipboardCopy isReadOnly isCode variant={ClipboardCopyVariant.expansion} hoverTip="Copy" clickTip="Copied" aria-label="Manifest">
              {text}
            </ClipboardCopy>
          )}
        </QueryView>
      </CardBody>
    </Card>
  );
}
