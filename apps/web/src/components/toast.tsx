import { useEffect } from 'react';

export interface ToastMessage {
  /** Tells one toast from the next, so the same text shown twice restarts the timer. */
  id: number;
  text: string;
  action?: { label: string; onClick: () => void };
}

interface ToastProps {
  toast: ToastMessage | null;
  onDismiss: () => void;
  /** Dismissed by itself after this long (long enough to read it and reach the action). */
  timeoutMs?: number;
}

/**
 * A short message at the foot of the screen with one optional action (Undo). The live region is
 * always there, so screen readers announce each message as it arrives.
 */
export function Toast({ toast, onDismiss, timeoutMs = 10_000 }: ToastProps) {
  useEffect(() => {
    if (!toast) return;
    const t = window.setTimeout(onDismiss, timeoutMs);
    return () => window.clearTimeout(t);
  }, [toast, onDismiss, timeoutMs]);

  return (
    <div className="toast-region" aria-live="polite">
      {toast && (
        <div className="toast" key={toast.id}>
          <p className="toast__text">{toast.text}</p>
          {toast.action && (
            <button type="button" className="btn btn--sm toast__action" onClick={toast.action.onClick}>
              {toast.action.label}
            </button>
          )}
          <button type="button" className="toast__close" onClick={onDismiss} aria-label="Dismiss message">
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
