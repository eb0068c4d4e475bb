// Sign-in with an API token. When the server runs with the demo data it lists the demo users
// (GET /console/demo-users, answered only then), so a visitor can pick one.
import { useEffect, useState, type FormEvent } from 'react';
import { t } from '../i18n';

type DemoUser = { name: string; roles: string[]; token: string };

export function SignIn({ onToken, refused }: { onToken: (token: string) => void; refused: boolean }) {
  const [token, setToken] = useState('');
  const [demoUsers, setDemoUsers] = useState<DemoUser[]>([]);
  useEffect(() => {
    fetch('/console/demo-users')
      .then((response) => (response.ok ? (response.json() as Promise<DemoUser[]>) : []))
      .then(setDemoUsers)
      .catch(() => setDemoUsers([]));
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onToken(token.trim());
  };
  return (
    <main id="main" className="sign-in">
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">{t('signIn.token')}</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-describedby={refused ? 'token-error' : undefined}
          aria-invalid={refused}
        />
        {refused && (
          <p id="token-error" role="alert" className="error">
            {t('signIn.invalid')}
          </p>
        )}
        <button type="submit">{t('signIn.submit')}</button>
      </form>
      {demoUsers.length > 0 && (
        <section aria-labelledby="demo-users">
          <h2 id="demo-users">{t('signIn.demo')}</h2>
          <p>{t('signIn.demoHint')}</p>
          <ul className="demo-users">
            {demoUsers.map((user) => (
              <li key={user.token}>
                <button type="button" onClick={() => onToken(user.token)}>
                  {user.name}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
