// The signed-in user's API token, kept in this tab's session storage: sent as a bearer header
// with each request, never put in a URL or a cookie, gone when the tab closes.
const TOKEN_KEY = 'service-ledger.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
