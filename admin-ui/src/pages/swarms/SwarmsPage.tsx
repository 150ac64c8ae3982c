import { Label, LabelGroup, Switch, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { seg } from '../../api/http';
import { swarms } from '../../api/swarms';
import type { Swarm } from '../../api/types';
import { bytes } from '../../components/format';
import { ClearFilters, paging, SearchFilter, UrlPagination } from '../../components/ListToolbar';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { useUrlFilters } from '../../components/useUrlFilters';
import { matches, totals, type SwarmFilter } from './swarmFilter';

/** Peers come and go with every announce (agents announce every few minutes): a glance stays current. */
export const SWARM_POLL_MS = 10_000;

/**
 * Every published file's swarm as the tracker sees it now: who seeds it, who is still fetching it,
 * how many finished, and where its peers are. Filters and the page live in the URL, so the release
 * page can link to its own swarms.
 */
export default function SwarmsPage() {
  const [params, set] = useUrlFilters();
  const filter: SwarmFilter = {
    q: params.get('q') ?? '',
    product: params.get('product') ?? '',
    version: params.get('version') ?? '',
    withPeers: params.get('peers') === 'yes',
  };
  const { page, perPage } = paging(params);
  const [searchText, setSearchText] = useState(filter.q);
  const filtered = Boolean(filter.q || filter.product || filter.version || filter.withPeers);
  const all = useQuery({ queryKey: ['swarms'], queryFn: swarms.all, refetchInterval: SWARM_POLL_MS });
  const shown = (all.data ?? []).filter((s) => matches(s, filter));
  const rows = shown.slice((page - 1) * perPage, page * perPage);
  const sum = totals(shown);

  return (
    <PageFrame title="Swarms">
      <Toolbar>
        <ToolbarContent>
          <SearchFilter label="Filter swarms" placeholder="Product, version, file or info-hash" text={searchText} onText={setSearchText} onSearch={(q) => set({ q })} />
          {(filter.product || filter.version) && (
            <ToolbarItem alignSelf="center">
              <LabelGroup categoryName="Release">
                <Label onClose={() => set({ product: undefined, version: undefined })} closeBtnAriaLabel="Show every release">
                  {filter.product} {filter.version}
                </Label>
              </LabelGroup>
            </ToolbarItem>
          )}
          <ToolbarItem alignSelf="center">
            <Switch id="swarms-with-peers" label="Only swarms with peers" isChecked={filter.withPeers} onChange={(_e, on) => set({ peers: on ? 'yes' : undefined })} />
          </ToolbarItem>
          {filtered && (
            <ClearFilters
              onClear={() => {
                setSearchText('');
                set({ q: undefined, product: undefined, version: undefined, peers: undefined });
              }}
            />
          )}
          <ToolbarItem alignSelf="center">
            <span data-testid="swarm-total">
              {all.data && `${shown.length} ${shown.length === 1 ? 'swarm' : 'swarms'}: ${sum.seeds} seeding, ${sum.leechers} downloading, ${sum.completed} completed`}
            </span>
          </ToolbarItem>
          <UrlPagination total={shown.length} page={page} perPage={perPage} set={set} />
        </ToolbarContent>
      </Toolbar>
      <QueryView query={all} what="swarms">
        {(list) =>
          rows.length === 0 ? (
            list.length === 0 ? (
              <Empty title="No swarms yet">Each file of a published release gets a swarm: publish a release and deploy it.</Empty>
            ) : (
              <Empty title="No swarm matches">Change or clear the filters above.</Empty>
            )
          ) : (
            <SwarmTable rows={rows} />
          )
        }
      </QueryView>
    </PageFrame>
  );
}

function SwarmTable({ rows }: { rows: Swarm[] }) {
  return (
    <Table aria-label="Swarms" variant="compact">
      <Thead>
        <Tr>
          <Th>Release</Th>
          <Th>File</Th>
          <Th>Info-hash</Th>
          <Th info={{ tooltip: 'Peers that hold the whole file and share it' }}>Seeders</Th>
          <Th info={{ tooltip: 'Peers still downloading' }}>Leechers</Th>
          <Th info={{ tooltip: 'Downloads of this file that finished' }}>Completed</Th>
          <Th>Peers by site</Th>
          <Th info={{ tooltip: 'Bytes the origin seeder and the web seed sent: the less, the more the peers shared' }}>From the origin</Th>
        </Tr>
      </Thead>
      <Tbody>
        {rows.map((s) => (
          <Tr key={s.infoHashV1}>
            <Td dataLabel="Release">
              <Link to={`/products/${seg(s.product)}/releases/${seg(s.version)}`}>
                {s.product} {s.version}
              </Link>
            </Td>
            <Td dataLabel="File">{s.file}</Td>
            <Td dataLabel="Info-hash">
              <code title={`v1 ${s.infoHashV1}\nv2 ${s.infoHashV2}`}>{s.infoHashV1.slice(0, 12)}…</code>
            </Td>
            <Td dataLabel="Seeders">{s.seeds}</Td>
            <Td dataLabel="Leechers">{s.leechers}</Td>
            <Td dataLabel="Completed">{s.completed}</Td>
            <Td dataLabel="Peers by site">
              {s.sites.length === 0 ? (
                '—'
              ) : (
                <LabelGroup aria-label={`Peers of ${s.file} by site`} numLabels={4}>
                  {s.sites.map((p) => (
                    <Label key={p.site} isCompact>
                      {p.site || 'no site'}: {p.seeds} seeding, {p.leechers} downloading
                    </Label>
                  ))}
                </LabelGroup>
              )}
            </Td>
            <Td dataLabel="From the origin">{bytes(s.originSeedBytes + s.webSeedBytes)}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}
