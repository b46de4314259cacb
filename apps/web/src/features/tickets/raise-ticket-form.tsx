import { useId, useState, type FormEvent } from 'react';
import type { Ticket } from '@portico/shared';
import { useRaiseTicket } from './tickets.api.ts';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';

interface RaiseTicketFormProps {
  subscriptionId: string;
  onRaised: (ticket: Ticket) => void;
  onCancel: () => void;
}

export function RaiseTicketForm({ subscriptionId, onRaised, onCancel }: RaiseTicketFormProps) {
  const uid = useId();
  const raise = useRaiseTicket();
  const [summary, setSummary] = useState('');
  const [description, setDescription] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const server = fieldErrorsOf(raise.error);
  const summaryError =
    submitted && summary.trim().length < 3
      ? 'Say in a few words what is wrong (at least 3 characters).'
      : withLabel('Summary', server.summary);

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (summary.trim().length < 3) {
      document.getElementById(`${uid}-summary`)?.focus();
      return;
    }
    raise.mutate(
      { subscription: subscriptionId, summary: summary.trim(), description: description.trim() },
      { onSuccess: onRaised },
    );
  }

  return (
    <form className="card ticket-form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 className="card__title" id={`${uid}-title`}>
        What's wrong?
      </h2>
      <Field id={`${uid}-summary`} label="Summary" required error={summaryError}>
        <input
          id={`${uid}-summary`}
          className="input"
          maxLength={200}
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
          placeholder="e.g. Cannot log in to the VM since this morning"
          autoFocus
          aria-invalid={!!summaryError}
          aria-describedby={describedBy(`${uid}-summary`, undefined, summaryError)}
        />
      </Field>
      <Field
        id={`${uid}-description`}
        label="Description"
        hint="What did you try, what did you expect, what happened instead?"
        error={withLabel('Description', server.description)}
      >
        <textarea
          id={`${uid}-description`}
          className="input"
          rows={5}
          maxLength={10000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          aria-invalid={!!server.description}
          aria-describedby={describedBy(`${uid}-description`, 'hint', server.description)}
        />
      </Field>
      <FormProblem error={raise.error} shownPaths={['summary', 'description']} />
      <div className="btn-row">
        <button type="submit" className="btn btn--primary" disabled={raise.isPending}>
          {raise.isPending ? 'Raising…' : 'Raise ticket'}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
