import { useSearchParams } from 'react-router-dom';

export type FilterChange = Record<string, string | string[] | undefined>;

/**
 * Filters and paging kept in the URL's query, so a filtered page can be bookmarked, shared and
 * reloaded. Changing a filter goes back to the first page.
 */
export function useUrlFilters(): [URLSearchParams, (change: FilterChange) => void] {
  const [params, setParams] = useSearchParams();
  const set = (change: FilterChange) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(change)) {
      next.delete(key);
      if (Array.isArray(value)) value.forEach((v) => next.append(key, v));
      else if (value) next.set(key, value);
    }
    if (!('page' in change)) next.delete('page');
    setParams(next);
  };
  return [params, set];
}
