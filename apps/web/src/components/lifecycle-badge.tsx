import type { Lifecycle } from '@portico/shared';
import { StatusBadge, type Tone } from './status-badge.tsx';

const labels: Record<Lifecycle, string> = { draft: 'Draft', published: 'Published', retired: 'Retired' };
const tones: Record<Lifecycle, Tone> = { draft: 'warning', published: 'success', retired: 'neutral' };

export function LifecycleBadge({ status }: { status: Lifecycle }) {
  return (
    <StatusBadge tone={tones[status]}>
      <span data-lifecycle={status}>{labels[status]}</span>
    </StatusBadge>
  );
}
