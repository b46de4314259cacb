import { useId, useRef, useState, type ChangeEvent } from 'react';
import { Link } from 'react-router';
import type { ImportReport } from '@portico/shared';
import { useImport } from './catalog-admin.api.ts';
import { RequireCatalogManager } from './require-catalog-manager.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { FormProblem } from '../../components/form-parts.tsx';
import { StatusBadge, type Tone } from '../../components/status-badge.tsx';
import { plural } from '../../components/format.ts';

export function CatalogImportPage() {
  return (
    <RequireCatalogManager>
      <CatalogImport />
    </RequireCatalogManager>
  );
}

const actionTones: Record<ImportReport['changes'][number]['action'], Tone> = {
  create: 'success',
  update: 'info',
  unchanged: 'neutral',
};

function CatalogImport() {
  const uid = useId();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [yaml, setYaml] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const importer = useImport();
  // The dry run belongs to the text it checked: any edit asks for a new check.
  const [checked, setChecked] = useState<{ text: string; report: ImportReport } | null>(null);
  const [applied, setApplied] = useState<ImportReport | null>(null);

  const current = checked && checked.text === yaml ? checked.report : null;
  const canImport =
    !!current && current.errors.length === 0 && current.changes.some((c) => c.action !== 'unchanged');

  function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setFileError(null);
    if (!file) return;
    if (file.size > 5_000_000) {
      setFileError('That file is over 5 MB; a catalogue file is usually a few hundred KB.');
      return;
    }
    file.text().then(
      (t) => {
        setYaml(t);
        setFileName(file.name);
        setApplied(null);
      },
      () => setFileError('The file could not be read.'),
    );
  }

  function run(dryRun: boolean) {
    const text = yaml;
    setApplied(null);
    importer.mutate(
      { yaml: text, dryRun },
      {
        onSuccess: (report) => {
          if (dryRun || report.errors.length) setChecked({ text, report });
          else {
            setApplied(report);
            setChecked(null);
          }
        },
      },
    );
  }

  /** Puts the caret at line:column of the text, so the problem is right there. */
  function jumpTo(line: number, column: number) {
    const ta = textRef.current;
    if (!ta || line < 1) return;
    const lines = yaml.split('\n');
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, column - 1);
    ta.focus();
    ta.setSelectionRange(offset, Math.min(offset + (lines[line - 1]?.length ?? 0) - column + 1, yaml.length));
    const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 20;
    ta.scrollTop = Math.max(0, (line - 4) * lineHeight);
  }

  return (
    <div>
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <Link to="/catalogue-admin">Catalogue admin</Link>
            <span aria-hidden="true">›</span>
            <span aria-current="page">Import / export</span>
          </nav>
        }
        title="Import / export"
        subtitle="The catalogue as code: one YAML file of categories and services, reviewed like any other change."
      />

      <div className="import-layout">
        <section className="card" aria-labelledby={`${uid}-export`}>
          <h2 className="card__title" id={`${uid}-export`}>
            Export
          </h2>
          <p className="muted">
            Every category and service (drafts and retired ones too) as YAML — edit it, keep it in Git, and
            import it back here.
          </p>
          <a
            className="btn btn--secondary import-layout__download"
            href="/api/catalog/export"
            download="portico-catalogue.yaml"
          >
            <span aria-hidden="true">⬇ </span>Download the catalogue (YAML)
          </a>
        </section>

        <section className="card" aria-labelledby={`${uid}-import`}>
          <h2 className="card__title" id={`${uid}-import`}>
            Import
          </h2>
          <p className="muted small import__intro">
            Upload a file or paste YAML, check it first (nothing changes), then import. Entries are matched by
            slug: new ones are created, changed ones updated; nothing is deleted.
          </p>
          <div className="field import__file">
            <label className="field__label" htmlFor={`${uid}-file`}>
              YAML file
            </label>
            <input
              id={`${uid}-file`}
              type="file"
              accept=".yaml,.yml,application/yaml,text/yaml"
              onChange={onFile}
            />
            {fileName && <p className="field__hint">Loaded {fileName}. You can still edit it below.</p>}
            {fileError && <p className="field__error">{fileError}</p>}
          </div>
          <div className="field">
            <label className="field__label" htmlFor={`${uid}-yaml`}>
              Or paste YAML
            </label>
            <textarea
              ref={textRef}
              id={`${uid}-yaml`}
              className="input input--mono input--code"
              rows={16}
              spellCheck={false}
              value={yaml}
              placeholder={
                'categories:\n  - slug: compute\n    name: Compute\nservices:\n  - slug: virtual-machine\n    …'
              }
              onChange={(e) => setYaml(e.target.value)}
            />
          </div>
          <div className="btn-row">
            <button
              type="button"
              className="btn btn--secondary"
              onClick={() => run(true)}
              disabled={!yaml.trim() || importer.isPending}
            >
              {importer.isPending && importer.variables?.dryRun ? 'Checking…' : 'Check (dry run)'}
            </button>
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => run(false)}
              disabled={!canImport || importer.isPending}
              title={canImport ? undefined : 'Run a successful check of this text first'}
            >
              {importer.isPending && !importer.variables?.dryRun ? 'Importing…' : 'Import'}
            </button>
            {!canImport && yaml.trim() && (
              <span className="muted small">
                {current?.errors.length
                  ? 'Fix the problems, then check again.'
                  : current
                    ? 'Nothing would change.'
                    : 'Check the text first; Import applies exactly what was checked.'}
              </span>
            )}
          </div>
          <FormProblem error={importer.error} />
        </section>
      </div>

      <div aria-live="polite">
        {applied && (
          <div className="alert alert--success" data-testid="import-applied">
            <p className="alert__title">Imported</p>
            <p>{countsText(applied)}. Requesters see the published changes now.</p>
          </div>
        )}
      </div>
      {applied && <ReportView report={applied} onJump={jumpTo} />}
      {current && <ReportView report={current} onJump={jumpTo} />}
      {checked && !current && (
        <p className="alert alert--info">
          The text changed since the last check — check it again before importing.
        </p>
      )}
    </div>
  );
}

function countsText(report: ImportReport): string {
  const n = (a: string) => report.changes.filter((c) => c.action === a).length;
  return [
    `${plural(n('create'), 'entry', 'entries')} created`,
    `${n('update')} updated`,
    `${n('unchanged')} unchanged`,
  ].join(', ');
}

function ReportView({
  report,
  onJump,
}: {
  report: ImportReport;
  onJump: (line: number, column: number) => void;
}) {
  const changed = report.changes.filter((c) => c.action !== 'unchanged');
  const unchanged = report.changes.filter((c) => c.action === 'unchanged');
  return (
    <section className="card import-report" aria-labelledby="report-title" data-testid="import-report">
      <div className="card__head">
        <h2 className="card__title" id="report-title">
          {report.dryRun ? 'Check result' : 'Import result'}
        </h2>
        {report.errors.length ? (
          <StatusBadge tone="danger">{plural(report.errors.length, 'problem')}</StatusBadge>
        ) : (
          <StatusBadge tone="success">{report.dryRun ? 'Ready to import' : 'Applied'}</StatusBadge>
        )}
      </div>

      {report.errors.length > 0 && (
        <div className="import-errors">
          <p className="alert__title">Nothing was changed. Fix these and check again:</p>
          <ul className="import-errors__list">
            {report.errors.map((e, i) => (
              <li key={i} className="import-errors__item">
                <button
                  type="button"
                  className="import-errors__where mono"
                  onClick={() => onJump(e.line, e.column)}
                  title="Show in the text"
                >
                  {e.line}:{e.column}
                </button>
                {e.path && <code className="import-errors__path">{e.path}</code>}
                <span>{e.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}

      {report.changes.length > 0 && <p className="muted small">{countsText(report)}.</p>}
      {changed.map((c) => (
        <details key={`${c.kind}-${c.slug}`} className="change" open={changed.length <= 6}>
          <summary className="change__summary">
            <StatusBadge tone={actionTones[c.action]}>{c.action}</StatusBadge>
            <span className="muted small">{c.kind}</span>
            <code>{c.slug}</code>
          </summary>
          {c.diff ? <Diff text={c.diff} /> : <p className="muted small change__none">New entry.</p>}
        </details>
      ))}
      {unchanged.length > 0 && (
        <p className="muted small import-report__unchanged">
          Unchanged: {unchanged.map((c) => c.slug).join(', ')}
        </p>
      )}
    </section>
  );
}

/** A unified diff, with added lines green and removed lines red. */
export function Diff({ text }: { text: string }) {
  const lines = text.replace(/\n$/, '').split('\n');
  return (
    <pre className="diff" aria-label="Changes">
      {lines.map((l, i) => {
        const kind =
          l.startsWith('+++') || l.startsWith('---')
            ? 'file'
            : l.startsWith('@@')
              ? 'hunk'
              : l.startsWith('+')
                ? 'add'
                : l.startsWith('-')
                  ? 'del'
                  : 'ctx';
        return (
          <span key={i} className={`diff__line diff__line--${kind}`}>
            {kind === 'add' && <span className="visually-hidden">added: </span>}
            {kind === 'del' && <span className="visually-hidden">removed: </span>}
            {l || ' '}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}
