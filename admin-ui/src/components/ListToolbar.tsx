import { Button, Pagination, SearchInput, ToolbarItem } from '@patternfly/react-core';
import type { FilterChange } from './useUrlFilters';

/** Page sizes offered by listings paged in the URL (`page`, `perPage`). */
export const PER_PAGE = [20, 50, 100, 500];

/** The page and page size a URL asks for, falling back to the first page of 50. */
export function paging(params: URLSearchParams): { page: number; perPage: number } {
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const perPage = PER_PAGE.includes(Number(params.get('perPage'))) ? Number(params.get('perPage')) : 50;
  return { page, perPage };
}

/**
 * A search box for a toolbar: what is typed stays local (`text`) until Enter sends it trimmed;
 * its clear button empties it and sends undefined.
 */
export function SearchFilter({
  label,
  placeholder,
  text,
  onText,
  onSearch,
}: {
  label: string;
  placeholder: string;
  text: string;
  onText: (text: string) => void;
  onSearch: (value: string | undefined) => void;
}) {
  return (
    <ToolbarItem>
      <SearchInput
        aria-label={label}
        placeholder={placeholder}
        value={text}
        onChange={(_e, v) => onText(v)}
        onSearch={(_e, v) => onSearch(v.trim())}
        onClear={() => {
          onText('');
          onSearch(undefined);
        }}
      />
    </ToolbarItem>
  );
}

export function ClearFilters({ onClear }: { onClear: () => void }) {
  return (
    <ToolbarItem>
      <Button variant="link" onClick={onClear}>
        Clear all filters
      </Button>
    </ToolbarItem>
  );
}

/** Compact pagination whose page and page size go into the URL through `set`. */
export function UrlPagination({ total, page, perPage, set }: { total: number; page: number; perPage: number; set: (change: FilterChange) => void }) {
  return (
    <ToolbarItem variant="pagination">
      <Pagination
        itemCount={total}
        page={page}
        perPage={perPage}
        perPageOptions={PER_PAGE.map((n) => ({ title: String(n), value: n }))}
        onSetPage={(_e, p) => set({ page: String(p) })}
        onPerPageSelect={(_e, n) => set({ perPage: String(n) })}
        isCompact
      />
    </ToolbarItem>
  );
}
