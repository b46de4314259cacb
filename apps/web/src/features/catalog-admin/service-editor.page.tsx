import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useBlocker, useNavigate, useParams } from 'react-router';
import { serviceKinds, type Category, type ManagedService, type ManagedServiceDetail } from '@portico/shared';
import {
  useLifecycle,
  useManagedService,
  useManagedServices,
  useSaveService,
  useTeams,
} from './catalog-admin.api.ts';
import { RequireCatalogManager } from './require-catalog-manager.tsx';
import { SelectInput, TextInput, labelled, type EditorApi } from './editor-fields.tsx';
import { PlansEditor } from './plans-editor.tsx';
import { OptionsEditor } from './options-editor.tsx';
import { ServicePreview } from './service-preview.tsx';
import { VersionHistory } from './version-history.tsx';
import {
  blankService,
  checkDraft,
  fieldId,
  optionsToText,
  pathKey,
  setIn,
  slugify,
  type Draft,
  type Errors,
  type Path,
} from './service-draft.ts';
import { useCategories } from '../catalog/catalog.api.ts';
import { isApiError } from '../../app/api-client.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { FormProblem, describedBy } from '../../components/form-parts.tsx';
import { LifecycleBadge } from '../../components/lifecycle-badge.tsx';
import { KindBadge, kindLabels } from '../../components/kind-badge.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';

export function ServiceEditorPage() {
  const { slug } = useParams();
  return (
    <RequireCatalogManager>
      {slug ? <ExistingService slug={slug} /> : <ServiceEditor key="new" initial={null} />}
    </RequireCatalogManager>
  );
}

function ExistingService({ slug }: { slug: string }) {
  const service = useManagedService(slug);
  if (service.isPending) return <LoadingState label="Loading the service…" />;
  if (service.isError) return <ErrorState error={service.error} onRetry={() => void service.refetch()} />;
  return <ServiceEditor key={slug} initial={service.data} />;
}

/** Categories as select options, children indented under their parents. */
function categoryOptions(categories: Category[]): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const c of categories.filter((x) => x.parent === parent)) {
      out.push({ value: c.slug, label: `${'\u2003'.repeat(depth)}${depth ? '– ' : ''}${c.name}` });
      walk(c.slug, depth + 1);
    }
  };
  walk(null, 0);
  // Any category whose parent is missing still gets listed.
  for (const c of categories)
    if (!out.some((o) => o.value === c.slug)) out.push({ value: c.slug, label: c.name });
  return out;
}

/** A server path as the editor's paths: without a `body.` or `document.` prefix, dots for brackets. */
function normalisePath(path: string): string {
  return path
    .replace(/^(body|document)\./, '')
    .replace(/\[(\w+)\]/g, '.$1')
    .replace(/^\./, '');
}

// A new service moves to its own address once saved (a new editor); what happened comes along.
let carried: { slug: string; text: string } | null = null;

function ServiceEditor({ initial }: { initial: ManagedServiceDetail | null }) {
  const navigate = useNavigate();
  const isNew = initial === null;
  const categories = useCategories();
  const teams = useTeams();
  const services = useManagedServices();
  const save = useSaveService();
  const lifecycle = useLifecycle();

  const [state, setState] = useState<ManagedServiceDetail | null>(initial);
  const [draft, setDraft] = useState<Draft>(() => initial?.document ?? blankService());
  const [optionsText, setOptionsText] = useState(() => optionsToText(initial?.document.options ?? null));
  const [baseline, setBaseline] = useState(() => snapshot(draft, optionsText));
  const [tagsText, setTagsText] = useState(() => draft.tags.join(', '));
  const [slugEdited, setSlugEdited] = useState(!isNew);
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [confirmRetire, setConfirmRetire] = useState(false);
  const [notice, setNotice] = useState<string | null>(() =>
    carried && carried.slug === initial?.document.slug ? carried.text : null,
  );
  useEffect(() => {
    carried = null;
  }, []);
  const leaving = useRef(false);

  const dirty = snapshot(draft, optionsText) !== baseline;
  const checked = checkDraft(draft, optionsText);
  const clientErrors = submitted ? checked.errors : {};
  const allErrors: Errors = { ...serverErrors, ...clientErrors };
  const busy = save.isPending || lifecycle.isPending;

  const ed: EditorApi = {
    draft,
    set: (path: Path, value: unknown) => {
      setDraft((d) => setIn(d, path, value));
      const key = pathKey(path);
      setServerErrors((e) => {
        if (!Object.keys(e).some((k) => k === key || k.startsWith(`${key}.`))) return e;
        return Object.fromEntries(Object.entries(e).filter(([k]) => k !== key && !k.startsWith(`${key}.`)));
      });
      setNotice(null);
    },
    error: (path: Path) => allErrors[pathKey(path)],
    errorPaths: Object.keys(allErrors),
  };

  // Leaving with unsaved work asks first (in the app and when closing the tab).
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  function rebase(next: ManagedServiceDetail) {
    const text = optionsToText(next.document.options);
    setState(next);
    setDraft(next.document);
    setOptionsText(text);
    setTagsText(next.document.tags.join(', '));
    setBaseline(snapshot(next.document, text));
    setServerErrors({});
    setSubmitted(false);
  }

  /** Focuses the control of the first error (or of the nearest enclosing path that has one). */
  function focusFirst(errors: Errors) {
    for (const key of Object.keys(errors)) {
      const parts = key.split('.');
      for (let n = parts.length; n > 0; n--) {
        const el = document.getElementById(fieldId(parts.slice(0, n).join('.')));
        if (el) {
          el.scrollIntoView({ block: 'center' });
          el.focus({ preventScroll: true });
          return;
        }
      }
    }
    document.getElementById('editor-problems')?.focus();
  }

  /** Saves the draft; resolves with the saved state, or null when it could not be saved. */
  async function doSave(): Promise<ManagedServiceDetail | null> {
    setSubmitted(true);
    setNotice(null);
    if (Object.keys(checked.errors).length) {
      window.setTimeout(() => focusFirst(checked.errors), 0);
      return null;
    }
    try {
      const saved = await save.mutateAsync({
        slug: isNew ? checked.document.slug : state!.document.slug,
        document: checked.document,
      });
      rebase(saved);
      return saved;
    } catch (e) {
      if (isApiError(e)) {
        const byPath: Errors = {};
        for (const err of e.problem.errors ?? []) {
          const k = normalisePath(err.path);
          byPath[k] = byPath[k] ? `${byPath[k]}; ${err.message}` : err.message;
        }
        setServerErrors(byPath);
        window.setTimeout(() => focusFirst(byPath), 0);
      }
      return null;
    }
  }

  async function onSave(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    const saved = await doSave();
    if (!saved) return;
    const text =
      saved.status === 'published'
        ? `Saved — version ${saved.version} is live in the catalogue.`
        : `Saved as a ${saved.status} (version ${saved.version}).`;
    setNotice(text);
    if (isNew) {
      leaving.current = true;
      carried = { slug: saved.document.slug, text };
      void navigate(`/catalogue-admin/services/${encodeURIComponent(saved.document.slug)}`, {
        replace: true,
      });
    }
  }

  async function onLifecycle(action: 'publish' | 'retire') {
    if (busy) return;
    let current = state;
    if (dirty || !current) {
      current = await doSave();
      if (!current) return;
    }
    try {
      const next = await lifecycle.mutateAsync({ slug: current.document.slug, action });
      rebase(next);
      const text =
        action === 'publish'
          ? `Published — version ${next.version} is in the catalogue now.`
          : 'Retired — it can no longer be ordered; existing subscriptions keep working.';
      setNotice(text);
      if (isNew) {
        leaving.current = true;
        carried = { slug: next.document.slug, text };
        void navigate(`/catalogue-admin/services/${encodeURIComponent(next.document.slug)}`, {
          replace: true,
        });
      }
    } catch {
      // shown by FormProblem below
    } finally {
      setConfirmRetire(false);
    }
  }

  const status = state?.status ?? 'draft';
  const categoryName = categories.data?.find((c) => c.slug === draft.category)?.name;
  const teamOptions = (teams.data ?? []).map((t) => ({ value: t.key, label: t.name }));
  const errorCount = Object.keys(allErrors).length;
  const title = isNew ? 'New service' : state?.document.name || draft.name;

  return (
    <div className="editor">
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <Link to="/catalogue-admin">Catalogue admin</Link>
            <span aria-hidden="true">›</span>
            <span aria-current="page">{title}</span>
          </nav>
        }
        title={
          <span className="title-with-icon">
            <ServiceIcon icon={draft.icon || '📦'} name={draft.name || '?'} kind={draft.kind} />
            <span>{title}</span>
          </span>
        }
        docTitle={isNew ? 'New service' : `Edit ${title}`}
        subtitle={
          isNew
            ? 'Write it as a requester would want to read it. It stays a draft until you publish it.'
            : status === 'published'
              ? 'Published. Saving an edit makes a new version, live at once.'
              : status === 'retired'
                ? 'Retired: not orderable. Publish it again to bring it back.'
                : 'A draft: only catalogue managers see it until it is published.'
        }
      />

      <div className="editor-bar" role="region" aria-label="Save and publish">
        <div className="editor-bar__status">
          <LifecycleBadge status={status} />
          {state && <span className="muted small">version {state.version}</span>}
          {dirty ? (
            <span className="editor-bar__dirty">● Unsaved changes</span>
          ) : (
            state && <span className="muted small">All changes saved</span>
          )}
        </div>
        <div className="editor-bar__actions">
          {!isNew && status === 'published' && !dirty && (
            <Link to={`/s/${encodeURIComponent(draft.slug)}`} className="btn btn--ghost btn--sm">
              View page
            </Link>
          )}
          {dirty && !isNew && (
            <button
              type="button"
              className="btn btn--ghost btn--sm"
              onClick={() => state && rebase(state)}
              disabled={busy}
            >
              Discard changes
            </button>
          )}
          {status === 'published' && !isNew && (
            <button
              type="button"
              className="btn btn--danger-outline"
              onClick={() => setConfirmRetire(true)}
              disabled={busy}
            >
              Retire
            </button>
          )}
          {status !== 'published' && (
            <button
              type="button"
              className="btn btn--success"
              onClick={() => void onLifecycle('publish')}
              disabled={busy}
            >
              {dirty || isNew ? 'Save and publish' : status === 'retired' ? 'Publish again' : 'Publish'}
            </button>
          )}
          <button
            type="submit"
            form="service-editor"
            className="btn btn--primary"
            disabled={busy || (!dirty && !isNew)}
          >
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>

      <div aria-live="polite">
        {notice && (
          <div className="alert alert--success alert--dismissible" data-testid="editor-notice">
            <p>{notice}</p>
            <button
              type="button"
              className="btn btn--ghost btn--sm"
              onClick={() => setNotice(null)}
              aria-label="Dismiss"
            >
              ✕
            </button>
          </div>
        )}
      </div>
      {errorCount > 0 && (
        <div className="alert alert--error" role="alert" id="editor-problems" tabIndex={-1}>
          <p className="alert__title">
            {errorCount === 1 ? 'One thing needs fixing' : `${errorCount} things need fixing`} before this can
            be saved
          </p>
          <ul className="alert__list">
            {Object.entries(allErrors).map(([path, message]) => (
              <li key={path}>
                <button type="button" className="link-button" onClick={() => focusFirst({ [path]: message })}>
                  <code>{path}</code>
                </button>{' '}
                {message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {save.isError && !(isApiError(save.error) && save.error.problem.errors?.length) && (
        <FormProblem error={save.error} />
      )}
      {lifecycle.isError && <FormProblem error={lifecycle.error} />}

      <form id="service-editor" className="editor__form" onSubmit={(e) => void onSave(e)} noValidate>
        <section className="card editor-section" aria-labelledby="basics-title">
          <h2 className="card__title" id="basics-title">
            Basics
          </h2>
          <div className="form-grid form-grid--2">
            <TextInput
              ed={{
                ...ed,
                set: (path, value) => {
                  ed.set(path, value);
                  if (!slugEdited) ed.set(['slug'], slugify(String(value)));
                },
              }}
              path={['name']}
              label="Name"
              required
              maxLength={100}
            />
            <TextInput
              ed={{
                ...ed,
                set: (path, value) => {
                  setSlugEdited(true);
                  ed.set(path, value);
                },
              }}
              path={['slug']}
              label="Slug"
              required
              mono
              readOnly={!isNew}
              hint={
                isNew
                  ? 'The service’s address: /s/your-slug. Lower-case words joined by hyphens.'
                  : 'The service’s address; it cannot change once created.'
              }
            />
          </div>
          <TextInput
            ed={ed}
            path={['tagline']}
            label="Tagline"
            maxLength={200}
            hint="One line on the card."
          />
          <div className="form-grid form-grid--3">
            <SelectInput
              ed={ed}
              path={['kind']}
              label="Kind"
              required
              options={serviceKinds.map((k) => ({ value: k, label: kindLabels[k] }))}
            />
            <TextInput ed={ed} path={['icon']} label="Icon" required maxLength={8} hint="An emoji, e.g. 🖥️" />
            <SelectInput
              ed={ed}
              path={['category']}
              label="Category"
              required
              options={categoryOptions(categories.data ?? [])}
              placeholder={categories.isPending ? 'Loading…' : 'Choose a category'}
            />
          </div>
          <div className="form-grid form-grid--2">
            <SelectInput
              ed={{
                ...ed,
                // Manual steps not yet given a team start with the owner's.
                set: (path, value) => {
                  ed.set(path, value);
                  draft.plans.forEach((p, i) => {
                    p.fulfilment.steps.forEach((s, j) => {
                      if (s.type === 'manual' && !s.team)
                        ed.set(['plans', i, 'fulfilment', 'steps', j, 'team'], value);
                    });
                  });
                },
              }}
              path={['ownerTeam']}
              label="Owner team"
              required
              options={teamOptions}
              placeholder={teams.isPending ? 'Loading…' : 'Choose the owning team'}
            />
            <TagsInput
              text={tagsText}
              error={ed.error(['tags']) ?? draft.tags.map((_, i) => ed.error(['tags', i])).find(Boolean)}
              onChange={(text) => {
                setTagsText(text);
                ed.set(
                  ['tags'],
                  text
                    .split(',')
                    .map((t) => t.trim())
                    .filter(Boolean),
                );
              }}
            />
          </div>
          <label className="checkbox editor__featured">
            <input
              type="checkbox"
              checked={draft.featured}
              onChange={(e) => ed.set(['featured'], e.target.checked)}
            />
            <span>
              Featured <span className="muted small">— shown in the highlighted row on the storefront</span>
            </span>
          </label>
          <AlternativesPicker
            services={services.data ?? []}
            loading={services.isPending}
            self={draft.slug}
            value={draft.alternatives}
            error={
              ed.error(['alternatives']) ??
              draft.alternatives.map((_, i) => ed.error(['alternatives', i])).find(Boolean)
            }
            onChange={(v) => ed.set(['alternatives'], v)}
          />
        </section>

        <section className="card editor-section" aria-labelledby="description-title">
          <h2 className="card__title" id="description-title">
            Description
          </h2>
          <div className="split">
            <div className="split__pane">
              <TextInput
                ed={ed}
                path={['description']}
                label="Description (Markdown)"
                multiline
                rows={16}
                mono
                maxLength={20000}
                hint="**bold**, *italic*, - lists, ## headings, [links](https://…). Raw HTML is shown as text."
              />
            </div>
            <div className="split__pane">
              <p className="preview-label">Live preview — the service page as a requester sees it</p>
              <div className="preview-frame">
                <ServicePreview draft={draft} categoryName={categoryName} />
              </div>
            </div>
          </div>
        </section>

        <section className="card editor-section" aria-labelledby="plans-title">
          <h2 className="card__title" id="plans-title">
            Plans
          </h2>
          <p className="muted small editor-section__intro">
            Sizes or tiers, in the order they appear on the service page. Prices are per unit, in decimal
            (e.g. 38.00).
          </p>
          <PlansEditor ed={ed} teams={teamOptions} />
        </section>

        <section className="card editor-section" aria-labelledby="options-title">
          <h2 className="card__title" id="options-title">
            Order form
          </h2>
          <p className="muted small editor-section__intro">
            What a requester is asked when ordering (hostname, size of an extra disk…), and what each choice
            adds to the price.
          </p>
          <OptionsEditor
            text={optionsText}
            onText={(t) => {
              setOptionsText(t);
              setServerErrors((e) =>
                Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('options'))),
              );
            }}
            errors={Object.fromEntries(Object.entries(serverErrors).filter(([k]) => k.startsWith('options')))}
            currency={draft.plans[0]?.currency || 'EUR'}
          />
        </section>

        {state && (
          <section className="card editor-section" aria-labelledby="versions-title">
            <h2 className="card__title" id="versions-title">
              Version history
            </h2>
            <VersionHistory state={state} />
          </section>
        )}
      </form>

      <ConfirmDialog
        open={confirmRetire}
        title={`Retire ${draft.name}?`}
        confirmLabel="Retire service"
        busy={lifecycle.isPending}
        onConfirm={() => void onLifecycle('retire')}
        onCancel={() => setConfirmRetire(false)}
      >
        <p>Retired services can't be ordered; existing subscriptions keep working.</p>
        {dirty && <p className="muted small">Your unsaved changes are saved first.</p>}
      </ConfirmDialog>
      <ConfirmDialog
        open={blocker.state === 'blocked'}
        title="Leave without saving?"
        confirmLabel="Leave and discard"
        cancelLabel="Stay"
        onConfirm={() => blocker.proceed?.()}
        onCancel={() => blocker.reset?.()}
      >
        <p>Your changes to {draft.name || 'this service'} are not saved.</p>
      </ConfirmDialog>
    </div>
  );
}

function snapshot(draft: Draft, optionsText: string): string {
  return JSON.stringify([draft, optionsText.trim()]);
}

function TagsInput({
  text,
  error,
  onChange,
}: {
  text: string;
  error?: string;
  onChange: (text: string) => void;
}) {
  const id = fieldId('tags');
  const hint = 'Comma separated; they help search, e.g. “linux, compute”.';
  const message = labelled('Tags', error);
  return (
    <div className={`field${message ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        Tags <span className="field__optional">(optional)</span>
      </label>
      <input
        id={id}
        className="input"
        value={text}
        autoComplete="off"
        aria-invalid={!!message}
        aria-describedby={describedBy(id, hint, message)}
        onChange={(e) => onChange(e.target.value)}
      />
      {message ? (
        <p className="field__error" id={`${id}-error`}>
          {message}
        </p>
      ) : (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

function AlternativesPicker({
  services,
  loading,
  self,
  value,
  error,
  onChange,
}: {
  services: ManagedService[];
  loading: boolean;
  self: string;
  value: string[];
  error?: string;
  onChange: (v: string[]) => void;
}) {
  const id = fieldId('alternatives');
  const [filter, setFilter] = useState('');
  const words = filter.trim().toLowerCase();
  const others = services
    .filter((s) => s.slug !== self)
    .filter(
      (s) =>
        !words || s.name.toLowerCase().includes(words) || s.slug.includes(words) || value.includes(s.slug),
    )
    .sort(
      (a, b) =>
        Number(value.includes(b.slug)) - Number(value.includes(a.slug)) || a.name.localeCompare(b.name),
    );
  const message = labelled('Alternatives', error);
  const hint =
    'Other ways to get the same thing (e.g. the legacy option for a cloud service). Shown with “Compare side by side”.';
  return (
    <fieldset
      className={`field field-group alternatives-picker${message ? ' field--invalid' : ''}`}
      aria-describedby={describedBy(id, hint, message)}
    >
      <legend className="field__label">
        Alternatives <span className="field__optional">({value.length} chosen)</span>
      </legend>
      {services.length > 8 && (
        <input
          className="input input--sm alternatives-picker__filter"
          type="search"
          placeholder="Filter services"
          aria-label="Filter the list of services"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {loading ? (
        <p className="muted small">Loading services…</p>
      ) : (
        <ul className="alternatives-picker__list" id={id} tabIndex={-1}>
          {others.map((s) => (
            <li key={s.slug}>
              <label className="alternatives-picker__item">
                <input
                  type="checkbox"
                  checked={value.includes(s.slug)}
                  onChange={(e) =>
                    onChange(e.target.checked ? [...value, s.slug] : value.filter((x) => x !== s.slug))
                  }
                />
                <span className="alternatives-picker__name">{s.name}</span>
                <KindBadge kind={s.kind} />
                {s.status !== 'published' && <LifecycleBadge status={s.status} />}
              </label>
            </li>
          ))}
          {others.length === 0 && (
            <li className="muted small">No other services{words ? ' match' : ' yet'}.</li>
          )}
        </ul>
      )}
      {message ? (
        <p className="field__error" id={`${id}-error`}>
          {message}
        </p>
      ) : (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </fieldset>
  );
}
