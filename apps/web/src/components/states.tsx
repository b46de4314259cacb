import type { ReactNode } from 'react';
import { isApiError } from '../app/api-client.ts';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state--loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Placeholder cards while a grid loads, so the page does not jump. */
export function SkeletonGrid({ count = 6, label = 'Loading…' }: { count?: number; label?: string }) {
  return (
    <div className="card-grid" role="status" aria-label={label}>
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="card skeleton-card" aria-hidden="true">
          <div className="skeleton skeleton--icon" />
          <div className="skeleton skeleton--line" />
          <div className="skeleton skeleton--line skeleton--short" />
        </div>
      ))}
    </div>
  );
}

export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.problem.detail ?? error.problem.title;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

interface ErrorStateProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

export function ErrorState({ error, title, onRetry }: ErrorStateProps) {
  const status = isApiError(error) ? error.status : 0;
  const heading =
    title ??
    (status === 404
      ? 'Not found'
      : status === 403
        ? 'You do not have access to this'
        : 'Something went wrong');
  return (
    <div className="state state--error" role="alert">
      <span className="state__icon" aria-hidden="true">
        {status === 404 ? '🔍' : status === 403 ? '🔒' : '⚠️'}
      </span>
      <h2 className="state__title">{heading}</h2>
      <p className="state__text">{errorMessage(error)}</p>
      {onRetry && status !== 404 && status !== 403 && (
        <button type="button" className="btn btn--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

interface EmptyStateProps {
  icon?: string;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}

export function EmptyState({ icon = '📭', title, children, action }: EmptyStateProps) {
  return (
    <div className="state state--empty">
      <span className="state__icon" aria-hidden="true">
        {icon}
      </span>
      <h2 className="state__title">{title}</h2>
      {children && <p className="state__text">{children}</p>}
      {action}
    </div>
  );
}
