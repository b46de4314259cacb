import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { ApprovalPolicy } from '@portico/shared';
import { useDeletePolicy, usePolicy, useSavePolicy } from './policies.api.ts';
import { checkDraft, draftFrom, move, newPolicy, newRule, toBody, type PolicyDraft } from './policy-draft.ts';
import { NumberField, TextField, pathId } from './policy-fields.tsx';
import { RuleEditor, type Choices } from './rule-editor.tsx';
import { useCategories } from '../catalog/catalog.api.ts';
import { useTeams } from '../catalog-admin/catalog-admin.api.ts';
import { useCostCentres } from '../budgets/budgets.api.ts';
import { hasRole } from '../session/session.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { RequireRole } from '../session/require-role.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';
import { formatDateTime } from '../../components/format.ts';

export function PolicyEditorPage() {
  return (
    <RequireRole roles={['admin']} title="Approval policy" who="For administrators" page={<EditorLoader />}>
      Approval policies decide who approves what. Ask an administrator to change one.
    </RequireRole>
  );
}

function EditorLoader() {
  const { id } = useParams();
  const policy = usePolicy(id);
  if (!id) return <PolicyEditor key="new" />;
  if (policy.isPending) return <LoadingState label="Loading the policy…" />;
  if (policy.isError) return <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />;
  return <PolicyEditor key={`${policy.data.id}-${policy.data.version}`} policy={policy.data} />;
}

/** The choices the rule conditions offer: categories, departments, cost centres, teams. */
function useChoices(): Choices {
  const me = useCurrentUser();
  const categories = useCategories();
  const centres = useCostCentres();
  const teams = useTeams(hasRole(me, 'catalog_manager'));
  const departments = new Map<string, string>();
  for (const c of centres.data ?? []) departments.set(c.department.code, c.department.name);
  return {
    categories: (categories.data ?? []).map((c) => ({ value: c.slug, label: c.name })),
    costCentres: (centres.data ?? []).map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` })),
    departments: [...departments].map(([value, label]) => ({ value, label })),
    teams: teams.data ?? me.teams,
  };
}

function PolicyEditor({ policy }: { policy?: ApprovalPolicy }) {
  const uid = useId();
  const navigate = useNavigate();
  const save = useSavePolicy();
  const remove = useDeletePolicy();
  const choices = useChoices();
  const [initial] = useState(() => (policy ? draftFrom(policy) : newPolicy()));
  const [draft, setDraft] = useState<PolicyDraft>(initial);
  const [submitted, setSubmitted] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [saved, setSaved] = useState(false);
  const dirty = JSON.stringify(toBody(draft)) !== JSON.stringify(toBody(initial));

  const client = submitted ? checkDraft(draft) : {};
  const server = fieldErrorsOf(save.error);
  const error = (path: string) => {
    const message = client[path] ?? server[path];
    if (!message) return undefined;
    const leaf = path.split('.').at(-1) ?? path;
    return withLabel(leafLabels[leaf] ?? 'This', message);
  };
  const set = <K extends keyof PolicyDraft>(key: K, value: PolicyDraft[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const problems = checkDraft(draft);
    const first = Object.keys(problems)[0];
    if (first !== undefined) {
      focusPath(first);
      return;
    }
    save.mutate(
      { id: policy?.id, body: toBody(draft) },
      {
        onSuccess: (p) => {
          setSaved(true);
          if (!policy) navigate(`/admin/policies/${p.id}`, { replace: true });
        },
      },
    );
  }

  const descId = pathId('description');
  return (
    <div>
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <Link to="/admin/policies">Approval policies</Link>
            <span aria-hidden="true">›</span>
            <span aria-current="page">{policy ? policy.name : 'New policy'}</span>
          </nav>
        }
        title={policy ? `Edit “${policy.name}”` : 'New approval policy'}
        docTitle={policy ? policy.name : 'New approval policy'}
        subtitle="Every active policy adds the stages of its first matching rule to a line's chain, lowest priority first."
      />
      <form className="editor__form" onSubmit={submit} noValidate aria-labelledby={`${uid}-bar`}>
        <div className="editor-bar" role="region" aria-label="Save the policy" id={`${uid}-bar`}>
          <div className="editor-bar__status small">
            {policy && (
              <span className="muted">
                version {policy.version} · saved {formatDateTime(policy.updatedAt)}
                {policy.updatedBy && ` by ${policy.updatedBy}`}
              </span>
            )}
            <span aria-live="polite">
              {dirty ? (
                <span className="editor-bar__dirty">Unsaved changes</span>
              ) : saved ? (
                <span className="muted">All changes saved</span>
              ) : null}
            </span>
          </div>
          <div className="editor-bar__actions">
            {policy && (
              <button
                type="button"
                className="btn btn--danger-outline"
                onClick={() => setConfirmDelete(true)}
              >
                Delete
              </button>
            )}
            <button type="submit" className="btn btn--primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : policy ? 'Save' : 'Create policy'}
            </button>
          </div>
        </div>
        <FormProblem error={save.error} shownPaths={Object.keys(server).filter(isShownPath)} />

        <section className="card" aria-labelledby={`${uid}-about`}>
          <h2 className="card__title" id={`${uid}-about`}>
            About the policy
          </h2>
          <TextField
            path="name"
            label="Name"
            required
            value={draft.name}
            onChange={(v) => set('name', v)}
            error={error('name')}
            placeholder="e.g. Spending limits"
          />
          <Field id={descId} label="Description" error={error('description')}>
            <textarea
              id={descId}
              className="input"
              rows={2}
              maxLength={2000}
              value={draft.description}
              onChange={(e) => set('description', e.target.value)}
              aria-describedby={describedBy(descId, undefined, error('description'))}
            />
          </Field>
          <div className="form-grid form-grid--3">
            <NumberField
              path="priority"
              label="Priority"
              value={draft.priority}
              onChange={(v) => set('priority', v)}
              error={error('priority')}
              hint="Lower runs first"
            />
            <NumberField
              path="remindAfterHours"
              label="Remind after"
              unit="business hours"
              value={draft.remindAfterHours}
              onChange={(v) => set('remindAfterHours', v)}
              error={error('remindAfterHours')}
            />
            <NumberField
              path="escalateAfterHours"
              label="Escalate after"
              unit="business hours"
              value={draft.escalateAfterHours}
              onChange={(v) => set('escalateAfterHours', v)}
              error={error('escalateAfterHours')}
              hint="Also to the approver’s manager"
            />
          </div>
          <label className="checkbox">
            <input
              id={pathId('active')}
              type="checkbox"
              checked={draft.active}
              onChange={(e) => set('active', e.target.checked)}
            />
            <span>Active — applies to new requests</span>
          </label>
        </section>

        <section className="card" aria-labelledby={`${uid}-rules`}>
          <h2 className="card__title" id={`${uid}-rules`}>
            Rules
          </h2>
          <p className="muted small editor-section__intro">
            The first rule whose conditions a line meets decides this policy’s stages. Put narrow rules first
            and a catch-all last.
          </p>
          {error('rules') && <p className="field__error">{error('rules')}</p>}
          <ol className="rule-list">
            {draft.rules.map((r, i) => (
              <li key={r.key}>
                <RuleEditor
                  rule={r}
                  index={i}
                  count={draft.rules.length}
                  choices={choices}
                  error={error}
                  onChange={(rule) =>
                    set(
                      'rules',
                      draft.rules.map((x, j) => (j === i ? rule : x)),
                    )
                  }
                  onMove={(by) => set('rules', move(draft.rules, i, by))}
                  onRemove={() =>
                    set(
                      'rules',
                      draft.rules.filter((_, j) => j !== i),
                    )
                  }
                />
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="btn btn--secondary"
            onClick={() => set('rules', [...draft.rules, newRule()])}
            disabled={draft.rules.length >= 50}
          >
            + Add a rule
          </button>
        </section>
      </form>

      {policy && (
        <ConfirmDialog
          open={confirmDelete}
          title={`Delete “${policy.name}”?`}
          confirmLabel="Delete policy"
          busy={remove.isPending}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() =>
            remove.mutate(policy.id, {
              onSuccess: () => navigate('/admin/policies', { replace: true }),
              onSettled: () => setConfirmDelete(false),
            })
          }
        >
          <p>
            New requests no longer get its stages. Requests already waiting keep the chain they were given.
          </p>
          {remove.isError && <FormProblem error={remove.error} />}
        </ConfirmDialog>
      )}
    </div>
  );
}

/** Paths whose messages show next to a field of the editor; the rest are listed at the top. */
const shownPatterns = [
  /^(name|description|priority|active|remindAfterHours|escalateAfterHours|rules)$/,
  /^rules\.\d+\.(name|stages)$/,
  /^rules\.\d+\.when\.(minCost|maxCost|categories|services|kinds|departments|costCentres|overBudget)$/,
  /^rules\.\d+\.stages\.\d+\.(name|approvers|approvers\.team|approvers\.email|approvers\.mode)$/,
];
const isShownPath = (path: string) => shownPatterns.some((re) => re.test(path));

const leafLabels: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  priority: 'Priority',
  remindAfterHours: 'Remind after',
  escalateAfterHours: 'Escalate after',
  minCost: 'Minimum cost',
  maxCost: 'Maximum cost',
  team: 'Team',
  email: 'Email',
  approvers: 'Approver',
  services: 'Services',
  rules: 'Rules',
  stages: 'Stages',
};

function focusPath(path: string) {
  // The field itself, else the nearest one up the path (an error on a whole rule or stage).
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const el = document.getElementById(pathId(parts.slice(0, n).join('.')));
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus({ preventScroll: true });
      return;
    }
  }
}
