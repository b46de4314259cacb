import { useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { useLogin, useMe } from './session.api.ts';
import { BrandMark } from '../../components/brand-mark.tsx';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';
import { LoadingState } from '../../components/states.tsx';
import { useDocumentTitle } from '../../components/page-header.tsx';

const DEMO_PASSWORD = 'portico-demo';

const demoAccounts = [
  { email: 'requester@example.com', role: 'Requester', does: 'browses, orders, owns services' },
  { email: 'manager@example.com', role: 'Manager', does: "approves the requester's orders" },
  { email: 'fulfiller@example.com', role: 'Fulfiller', does: 'works the operations queue' },
  { email: 'catalog@example.com', role: 'Catalogue manager', does: 'owns service pages' },
  { email: 'finance@example.com', role: 'Finance', does: 'cost centres and statements' },
  { email: 'admin@example.com', role: 'Admin', does: 'people, teams and roles' },
];

/** Only same-site paths, so `?next=` cannot send anyone elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  useDocumentTitle('Sign in');
  const me = useMe();
  const [params] = useSearchParams();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (me.isPending) {
    return (
      <div className="fullpage-center">
        <LoadingState />
      </div>
    );
  }
  if (me.data) return <Navigate to={safeNext(params.get('next'))} replace />;

  const fieldErrors = fieldErrorsOf(login.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    login.mutate({ email: email.trim(), password });
  }

  function signInAs(demoEmail: string) {
    setEmail(demoEmail);
    setPassword(DEMO_PASSWORD);
    login.mutate({ email: demoEmail, password: DEMO_PASSWORD });
  }

  return (
    <div className="login">
      <main className="login__main" id="main">
        <div className="login__brand">
          <BrandMark size={44} />
          <div>
            <p className="login__name">Portico</p>
            <p className="login__tagline">IT services, delivered like a web shop</p>
          </div>
        </div>

        <div className="card login__card">
          <h1 className="login__title">Sign in</h1>
          <form onSubmit={submit} noValidate>
            <Field id="login-email" label="Email" required error={withLabel('Email', fieldErrors.email)}>
              <input
                id="login-email"
                className="input"
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                aria-invalid={!!fieldErrors.email}
                aria-describedby={describedBy('login-email', undefined, fieldErrors.email)}
              />
            </Field>
            <Field
              id="login-password"
              label="Password"
              required
              error={withLabel('Password', fieldErrors.password)}
            >
              <input
                id="login-password"
                className="input"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-invalid={!!fieldErrors.password}
                aria-describedby={describedBy('login-password', undefined, fieldErrors.password)}
              />
            </Field>
            {login.isError && <FormProblem error={login.error} shownPaths={['email', 'password']} />}
            <button type="submit" className="btn btn--primary btn--block" disabled={login.isPending}>
              {login.isPending ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        </div>

        <section className="card login__demo" aria-labelledby="demo-title">
          <h2 id="demo-title" className="login__demo-title">
            Demo accounts
          </h2>
          <p className="muted">
            One click signs you in as one of these people (password <code>{DEMO_PASSWORD}</code>).
          </p>
          <ul className="demo-list">
            {demoAccounts.map((a) => (
              <li key={a.email}>
                <button
                  type="button"
                  className="demo-account"
                  onClick={() => signInAs(a.email)}
                  disabled={login.isPending}
                >
                  <span className="demo-account__role">{a.role}</span>
                  <span className="demo-account__email">{a.email}</span>
                  <span className="demo-account__does">{a.does}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </main>
    </div>
  );
}
