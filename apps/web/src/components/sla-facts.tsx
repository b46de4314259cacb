import type { Sla } from '@portico/shared';

export function formatHours(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours % 24 === 0 && hours >= 48) return `${hours / 24} days`;
  return `${hours} h`;
}

/** The SLA as a small definition list (availability, support hours, response, resolution). */
export function SlaFacts({ sla, compact }: { sla: Sla; compact?: boolean }) {
  return (
    <dl className={`facts${compact ? ' facts--compact' : ''}`}>
      <div>
        <dt>Availability</dt>
        <dd>{sla.availability}</dd>
      </div>
      <div>
        <dt>Support hours</dt>
        <dd>{sla.supportHours}</dd>
      </div>
      <div>
        <dt>Response</dt>
        <dd>within {formatHours(sla.responseHours)}</dd>
      </div>
      <div>
        <dt>Resolution</dt>
        <dd>within {formatHours(sla.resolutionHours)}</dd>
      </div>
    </dl>
  );
}
