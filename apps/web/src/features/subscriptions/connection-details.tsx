import { useEffect, useRef, useState } from 'react';
import type { Subscription } from '@portico/shared';
import { useRevealCredentials } from './subscriptions.api.ts';
import { OutputsList, outputLabel } from './subscription-status.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { FormProblem } from '../../components/form-parts.tsx';

/** Revealed secrets hide themselves again after this long, so they do not linger on a screen. */
const HIDE_AFTER_MS = 5 * 60_000;

/**
 * How to reach it: the delivery's outputs with copy buttons, and its credentials masked until
 * asked for. Each reveal is a request the server records in the audit log.
 */
export function ConnectionDetails({ sub }: { sub: Subscription }) {
  const reveal = useRevealCredentials(sub.id);
  const [shown, setShown] = useState<Record<string, string> | null>(null);
  const revealButton = useRef<HTMLButtonElement>(null);
  const hideButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!shown) return;
    const t = window.setTimeout(() => setShown(null), HIDE_AFTER_MS);
    return () => window.clearTimeout(t);
  }, [shown]);

  const hasOutputs = Object.keys(sub.outputs).length > 0;
  if (!hasOutputs && !sub.hasCredentials) return null;

  function hide() {
    setShown(null);
    reveal.reset();
    window.setTimeout(() => revealButton.current?.focus(), 0);
  }

  return (
    <section className="card sub-o3" aria-labelledby="sub-access-title">
      <h2 className="card__title" id="sub-access-title">
        Connection details
      </h2>
      {sub.status === 'ended' && (
        <p className="small muted">It has ended: these addresses no longer lead anywhere.</p>
      )}
      {hasOutputs ? (
        <OutputsList outputs={sub.outputs} copy={sub.status !== 'ended'} visible={6} />
      ) : (
        <p className="muted small">The delivery produced no addresses to show.</p>
      )}

      {sub.hasCredentials && (
        <div className="sub-secrets" data-testid="credentials">
          <h3 className="sub-secrets__title">Credentials</h3>
          {shown ? (
            <>
              <dl className="outputs outputs--copy">
                {Object.entries(shown).map(([k, v]) => (
                  <div key={k} role="group" aria-label={outputLabel(k)}>
                    <dt>{outputLabel(k)}</dt>
                    <dd className="mono sub-secrets__value">{v}</dd>
                    <CopyButton text={v} />
                  </div>
                ))}
              </dl>
              <p className="small muted" role="status">
                Revealing them was recorded in the audit log under your name. They hide again in 5 minutes.
              </p>
              <button ref={hideButton} type="button" className="btn btn--secondary btn--sm" onClick={hide}>
                Hide
              </button>
            </>
          ) : (
            <>
              <dl className="outputs">
                <div>
                  <dt>Secrets</dt>
                  <dd className="mono" aria-label="hidden">
                    ••••••
                  </dd>
                </div>
              </dl>
              {sub.actions.revealCredentials ? (
                <>
                  <p className="small muted">Each time someone reveals them, it is recorded.</p>
                  <button
                    ref={revealButton}
                    type="button"
                    className="btn btn--secondary btn--sm"
                    disabled={reveal.isPending}
                    onClick={() =>
                      reveal.mutate(undefined, {
                        onSuccess: (r) => {
                          setShown(r.credentials);
                          window.setTimeout(() => hideButton.current?.focus(), 0);
                        },
                      })
                    }
                  >
                    {reveal.isPending ? 'Revealing…' : 'Reveal'}
                  </button>
                  <FormProblem error={reveal.error} />
                </>
              ) : (
                <p className="small muted">
                  {sub.status === 'ended'
                    ? 'It has ended; its credentials are gone with it.'
                    : 'Only its owner can reveal them.'}
                </p>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}
