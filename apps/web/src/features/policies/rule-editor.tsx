import { serviceKinds, type ServiceKind } from '@portico/shared';
import {
  approverLabels,
  move,
  newStage,
  type ApproverType,
  type RuleDraft,
  type StageDraft,
} from './policy-draft.ts';
import { CheckList, TextField, pathId } from './policy-fields.tsx';
import { Field, describedBy } from '../../components/form-parts.tsx';
import { kindLabels } from '../../components/kind-badge.tsx';

export interface Choices {
  categories: { value: string; label: string }[];
  departments: { value: string; label: string }[];
  costCentres: { value: string; label: string }[];
  /** Team keys to suggest for group stages. */
  teams: { key: string; name: string }[];
}

interface RuleEditorProps {
  rule: RuleDraft;
  index: number;
  count: number;
  choices: Choices;
  onChange: (rule: RuleDraft) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
  error: (path: string) => string | undefined;
}

/** One rule: its name, the conditions a line must meet, and the stages it then asks for. */
export function RuleEditor({
  rule,
  index,
  count,
  choices,
  onChange,
  onMove,
  onRemove,
  error,
}: RuleEditorProps) {
  const p = `rules.${index}`;
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => onChange({ ...rule, [key]: value });
  const setStage = (i: number, stage: StageDraft) =>
    set(
      'stages',
      rule.stages.map((s, j) => (j === i ? stage : s)),
    );
  const overBudgetId = pathId(`${p}.when.overBudget`);

  return (
    <fieldset className="subform rule-editor" data-testid="rule-editor">
      <legend className="subform__legend">
        Rule {index + 1}
        {rule.name.trim() && `: ${rule.name.trim()}`}
      </legend>
      <div className="rule-editor__tools">
        <button
          type="button"
          className="btn btn--ghost btn--sm"
          onClick={() => onMove(-1)}
          disabled={index === 0}
        >
          ↑ Up<span className="visually-hidden"> rule {index + 1}</span>
        </button>
        <button
          type="button"
          className="btn btn--ghost btn--sm"
          onClick={() => onMove(1)}
          disabled={index === count - 1}
        >
          ↓ Down<span className="visually-hidden"> rule {index + 1}</span>
        </button>
        <button
          type="button"
          className="btn btn--danger-outline btn--sm"
          onClick={onRemove}
          disabled={count === 1}
        >
          Remove<span className="visually-hidden"> rule {index + 1}</span>
        </button>
      </div>
      <TextField
        path={`${p}.name`}
        label="Rule name"
        required
        value={rule.name}
        onChange={(v) => set('name', v)}
        error={error(`${p}.name`)}
        placeholder="e.g. Expensive cloud services"
      />

      <p className="subform__label">When (every condition given must hold; none: every line)</p>
      <div className="form-grid form-grid--2">
        <TextField
          path={`${p}.when.minCost`}
          label="First-year cost at least"
          inputMode="decimal"
          value={rule.minCost}
          onChange={(v) => set('minCost', v)}
          error={error(`${p}.when.minCost`)}
          placeholder="e.g. 1000"
        />
        <TextField
          path={`${p}.when.maxCost`}
          label="… and below"
          inputMode="decimal"
          value={rule.maxCost}
          onChange={(v) => set('maxCost', v)}
          error={error(`${p}.when.maxCost`)}
          placeholder="e.g. 10000"
        />
      </div>
      <CheckList<ServiceKind>
        path={`${p}.when.kinds`}
        legend="Kinds of service"
        options={serviceKinds.map((k) => ({ value: k, label: kindLabels[k] }))}
        values={rule.kinds}
        onChange={(v) => set('kinds', v)}
        error={error(`${p}.when.kinds`)}
      />
      <CheckList
        path={`${p}.when.categories`}
        legend="Categories"
        options={choices.categories}
        values={rule.categories}
        onChange={(v) => set('categories', v)}
        error={error(`${p}.when.categories`)}
      />
      <TextField
        path={`${p}.when.services`}
        label="Services"
        value={rule.services}
        onChange={(v) => set('services', v)}
        error={error(`${p}.when.services`)}
        hint="Service slugs, separated by commas, e.g. virtual-machine, managed-postgresql"
      />
      <CheckList
        path={`${p}.when.departments`}
        legend="Requester’s department"
        options={choices.departments}
        values={rule.departments}
        onChange={(v) => set('departments', v)}
        error={error(`${p}.when.departments`)}
      />
      <CheckList
        path={`${p}.when.costCentres`}
        legend="Cost centres"
        options={choices.costCentres}
        values={rule.costCentres}
        onChange={(v) => set('costCentres', v)}
        error={error(`${p}.when.costCentres`)}
      />
      <Field id={overBudgetId} label="Budget" error={error(`${p}.when.overBudget`)}>
        <select
          id={overBudgetId}
          className="input rule-editor__select"
          value={rule.overBudget}
          onChange={(e) => set('overBudget', e.target.value as RuleDraft['overBudget'])}
          aria-describedby={describedBy(overBudgetId, undefined, error(`${p}.when.overBudget`))}
        >
          <option value="">Either way</option>
          <option value="yes">Only when the order goes over budget</option>
          <option value="no">Only when it stays within budget</option>
        </select>
      </Field>

      <p className="subform__label">Then ask, stage after stage</p>
      {error(`${p}.stages`) && <p className="field__error">{error(`${p}.stages`)}</p>}
      {rule.stages.length === 0 ? (
        <p className="route-auto small">
          <span aria-hidden="true">✓ </span>No stages: lines this rule matches are approved automatically.
        </p>
      ) : (
        <ol className="stage-list">
          {rule.stages.map((s, i) => (
            <li key={s.key}>
              <StageEditor
                stage={s}
                path={`${p}.stages.${i}`}
                index={i}
                count={rule.stages.length}
                teams={choices.teams}
                error={error}
                onChange={(stage) => setStage(i, stage)}
                onMove={(by) => set('stages', move(rule.stages, i, by))}
                onRemove={() =>
                  set(
                    'stages',
                    rule.stages.filter((_, j) => j !== i),
                  )
                }
              />
            </li>
          ))}
        </ol>
      )}
      <button
        type="button"
        className="btn btn--secondary btn--sm"
        onClick={() => set('stages', [...rule.stages, newStage()])}
        disabled={rule.stages.length >= 6}
      >
        + Add a stage
      </button>
    </fieldset>
  );
}

interface StageEditorProps {
  stage: StageDraft;
  path: string;
  index: number;
  count: number;
  teams: { key: string; name: string }[];
  error: (path: string) => string | undefined;
  onChange: (stage: StageDraft) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}

function StageEditor({
  stage: s,
  path,
  index,
  count,
  teams,
  error,
  onChange,
  onMove,
  onRemove,
}: StageEditorProps) {
  const set = <K extends keyof StageDraft>(key: K, value: StageDraft[K]) => onChange({ ...s, [key]: value });
  const typeId = pathId(`${path}.approvers.type`);
  const modeId = pathId(`${path}.approvers.mode`);
  const teamList = `${pathId(path)}-teams`;
  const approverError = error(`${path}.approvers`);
  return (
    <div className="stage-editor" data-testid="stage-editor">
      <div className="stage-editor__head">
        <span className="stage-editor__number" aria-hidden="true">
          {index + 1}
        </span>
        <span className="visually-hidden">Stage {index + 1}</span>
        <div className="stage-editor__tools">
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={() => onMove(-1)}
            disabled={index === 0}
          >
            ↑<span className="visually-hidden"> Move stage {index + 1} up</span>
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={() => onMove(1)}
            disabled={index === count - 1}
          >
            ↓<span className="visually-hidden"> Move stage {index + 1} down</span>
          </button>
          <button type="button" className="btn btn--ghost btn--sm" onClick={onRemove}>
            ✕<span className="visually-hidden"> Remove stage {index + 1}</span>
          </button>
        </div>
      </div>
      <div className="form-grid form-grid--2">
        <TextField
          path={`${path}.name`}
          label="Stage name"
          required
          value={s.name}
          onChange={(v) => set('name', v)}
          error={error(`${path}.name`)}
        />
        <Field id={typeId} label="Who approves" required error={approverError}>
          <select
            id={typeId}
            className="input"
            value={s.type}
            onChange={(e) => set('type', e.target.value as ApproverType)}
            aria-invalid={!!approverError}
            aria-describedby={describedBy(typeId, undefined, approverError)}
          >
            {(Object.keys(approverLabels) as ApproverType[]).map((t) => (
              <option key={t} value={t}>
                {approverLabels[t]}
              </option>
            ))}
          </select>
        </Field>
        {s.type === 'group' && (
          <>
            <TextField
              path={`${path}.approvers.team`}
              label="Team key"
              required
              list={teamList}
              value={s.team}
              onChange={(v) => set('team', v)}
              error={error(`${path}.approvers.team`)}
              hint={teams.length ? 'Start typing to pick a team' : 'The team’s key, e.g. security'}
            />
            <datalist id={teamList}>
              {teams.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.name}
                </option>
              ))}
            </datalist>
            <Field id={modeId} label="Decided by" error={error(`${path}.approvers.mode`)}>
              <select
                id={modeId}
                className="input"
                value={s.mode}
                onChange={(e) => set('mode', e.target.value as 'any' | 'all')}
              >
                <option value="any">Any one member</option>
                <option value="all">Every member</option>
              </select>
            </Field>
          </>
        )}
        {s.type === 'person' && (
          <TextField
            path={`${path}.approvers.email`}
            label="Their email"
            required
            inputMode="email"
            value={s.email}
            onChange={(v) => set('email', v)}
            error={error(`${path}.approvers.email`)}
          />
        )}
      </div>
    </div>
  );
}
