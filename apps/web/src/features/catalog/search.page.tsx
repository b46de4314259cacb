import { useSearchParams } from 'react-router';
import { SearchView } from './search-view.tsx';
import { useDocumentTitle } from '../../components/page-header.tsx';

export function SearchPage() {
  const [params] = useSearchParams();
  const q = params.get('q')?.trim();
  useDocumentTitle(q ? `“${q}” — search` : 'All services');
  return <SearchView />;
}
