import { useId, useState, type FormEvent } from 'react';
import { BusinessCalendarBody, type BusinessCalendar } from '@portico/shared';
import { useBusinessCalendar, useSaveCalendar } from './calendar.api.ts';
import {
  Field,
  FieldGroup,
  FormProblem,
  describedBy,
  fieldErrorsOf,
  withLabel,
} from '../../components/form-parts.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { formatDate } from '../../components/format.ts';

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** The business calendar: expected delivery dates and reminder hours count only working time. */
export function BusinessCalendarSection() {
  const calendar = useBusinessCalendar();
  if (calendar.isPending) return <LoadingState label="Loading the calendar…" />;
  if (calendar.isError) return <ErrorState error={calendar.error} onRetry={() => void calendar.refetch()} />;
  return <CalendarForm key={JSON.stringify(calendar.data)} saved={calendar.data} />;
}

function CalendarForm({ saved }: { saved: BusinessCalendar }) {
  const uid = useId();
  const save = useSaveCalendar();
  const [v, setV] = useState<BusinessCalendar>(saved);
  const [holiday, setHoliday] = useState({ date: '', name: '' });
  const [holidayError, setHolidayError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const id = (k: string) => `${uid}-${k}`;

  const client: Record<string, string> = {};
  if (submitted) {
    const parsed = BusinessCalendarBody.safeParse(v);
    if (!parsed.success) for (const i of parsed.error.issues) client[i.path.join('.')] ??= i.message;
  }
  const server = fieldErrorsOf(save.error);
  const err = (path: string, label: string) => withLabel(label, client[path] ?? server[path]);
  const errors = {
    timezone: err('timezone', 'Time zone'),
    workdays: err('workdays', 'The week'),
    dayStart: err('dayStart', 'Day starts'),
    dayEnd: err('dayEnd', 'Day ends'),
    holidays: err('holidays', 'Holidays'),
  };
  const dirty = JSON.stringify(v) !== JSON.stringify(saved);

  function addHoliday() {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(holiday.date)) return setHolidayError('Pick the date.');
    if (!holiday.name.trim()) return setHolidayError('Name the holiday, e.g. “New Year’s Day”.');
    if (v.holidays.some((h) => h.date === holiday.date))
      return setHolidayError('That date is already a holiday.');
    setHolidayError(null);
    setV((x) => ({
      ...x,
      holidays: [...x.holidays, { date: holiday.date, name: holiday.name.trim() }].sort((a, b) =>
        a.date.localeCompare(b.date),
      ),
    }));
    setHoliday({ date: '', name: '' });
    document.getElementById(id('h-date'))?.focus();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const parsed = BusinessCalendarBody.safeParse(v);
    if (!parsed.success) return;
    save.mutate(v);
  }

  return (
    <form className="card calendar" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 className="card__title" id={`${uid}-title`}>
        Business calendar
      </h2>
      <p className="muted small editor-section__intro">
        Expected delivery dates skip days off and holidays; reminder and escalation hours count working hours
        only.
      </p>
      <div className="form-grid form-grid--3">
        <Field id={id('tz')} label="Time zone" required error={errors.timezone}>
          <input
            id={id('tz')}
            className="input"
            list={id('zones')}
            autoComplete="off"
            value={v.timezone}
            onChange={(e) => setV((x) => ({ ...x, timezone: e.target.value }))}
            aria-invalid={!!errors.timezone}
            aria-describedby={describedBy(id('tz'), undefined, errors.timezone)}
          />
          <datalist id={id('zones')}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field id={id('start')} label="Day starts" required error={errors.dayStart}>
          <input
            id={id('start')}
            className="input"
            type="time"
            value={v.dayStart}
            onChange={(e) => setV((x) => ({ ...x, dayStart: e.target.value }))}
            aria-invalid={!!errors.dayStart}
            aria-describedby={describedBy(id('start'), undefined, errors.dayStart)}
          />
        </Field>
        <Field id={id('end')} label="Day ends" required error={errors.dayEnd}>
          <input
            id={id('end')}
            className="input"
            type="time"
            value={v.dayEnd}
            onChange={(e) => setV((x) => ({ ...x, dayEnd: e.target.value }))}
            aria-invalid={!!errors.dayEnd}
            aria-describedby={describedBy(id('end'), undefined, errors.dayEnd)}
          />
        </Field>
      </div>
      <FieldGroup id={id('days')} legend="Working days" required error={errors.workdays}>
        <div className="choice-list">
          {weekdays.map((name, i) => {
            const day = i + 1;
            const on = v.workdays.includes(day);
            return (
              <label key={day} className={`choice choice--sm${on ? ' choice--on' : ''}`}>
                <input
                  type="checkbox"
                  id={i === 0 ? id('days') : undefined}
                  checked={on}
                  onChange={(e) =>
                    setV((x) => ({
                      ...x,
                      workdays: e.target.checked
                        ? [...x.workdays, day].sort((a, b) => a - b)
                        : x.workdays.filter((d) => d !== day),
                    }))
                  }
                />
                <span className="choice__label">{name}</span>
              </label>
            );
          })}
        </div>
      </FieldGroup>

      <fieldset className="subform">
        <legend className="subform__legend">Holidays</legend>
        {errors.holidays && <p className="field__error">{errors.holidays}</p>}
        {v.holidays.length === 0 ? (
          <p className="muted small">No holidays yet.</p>
        ) : (
          <ul className="plain-list holiday-list">
            {v.holidays.map((h) => (
              <li key={h.date} className="plain-list__row">
                <span>
                  <strong>{formatDate(h.date)}</strong> {h.name}
                </span>
                <button
                  type="button"
                  className="btn btn--ghost btn--sm"
                  onClick={() =>
                    setV((x) => ({ ...x, holidays: x.holidays.filter((y) => y.date !== h.date) }))
                  }
                  aria-label={`Remove ${h.name} (${formatDate(h.date)})`}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="holiday-add">
          <Field id={id('h-date')} label="Date">
            <input
              id={id('h-date')}
              className="input"
              type="date"
              value={holiday.date}
              onChange={(e) => setHoliday((h) => ({ ...h, date: e.target.value }))}
            />
          </Field>
          <Field id={id('h-name')} label="Name">
            <input
              id={id('h-name')}
              className="input"
              maxLength={80}
              value={holiday.name}
              onChange={(e) => setHoliday((h) => ({ ...h, name: e.target.value }))}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addHoliday();
                }
              }}
            />
          </Field>
          <button type="button" className="btn btn--secondary holiday-add__button" onClick={addHoliday}>
            Add holiday
          </button>
        </div>
        <p className="field__error" role="alert" hidden={!holidayError}>
          {holidayError}
        </p>
      </fieldset>

      <FormProblem
        error={save.error}
        shownPaths={['timezone', 'workdays', 'dayStart', 'dayEnd', 'holidays']}
      />
      <div className="btn-row">
        <button type="submit" className="btn btn--primary" disabled={save.isPending || !dirty}>
          {save.isPending ? 'Saving…' : 'Save calendar'}
        </button>
        <span className="small" aria-live="polite">
          {dirty ? <span className="editor-bar__dirty">Unsaved changes</span> : save.isSuccess ? 'Saved' : ''}
        </span>
      </div>
    </form>
  );
}
