/**
 * The sign-in page of the queue board (GET /admin/queues/session): a browser cannot send a bearer header
 * to a page, so this page signs the admin in through the public API (`POST /v1/auth/login`, or a pasted
 * access token), exchanges the access token for the board's HttpOnly session cookie
 * (`POST /admin/queues/session` with the bearer header) and opens the board. The token lives only in this
 * page's memory. Static, and nothing user-supplied is ever written into it; inline script and style are
 * within the facade's CSP ('unsafe-inline', which Swagger UI needs too).
 */
export const QUEUE_BOARD_SIGN_IN_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<title>Ficus queues: sign in</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 4rem auto; padding: 0 1rem; color: #222; }
  label { display: block; margin-top: 1rem; }
  input { width: 100%; padding: .4rem; box-sizing: border-box; }
  button { margin-top: 1.2rem; padding: .5rem 1.2rem; }
  #error { color: #b00020; min-height: 1.5rem; margin-top: 1rem; }
  small { color: #666; }
</style>
</head>
<body>
<h1>Ficus queues</h1>
<p>Sign in as an admin to open the queue board.</p>
<form id="sign-in">
  <label>E-mail <input name="email" type="email" autocomplete="username" maxlength="254"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" maxlength="128"></label>
  <label>or an admin access token <small>(instead of e-mail and password)</small>
    <input name="token" type="password" autocomplete="off" maxlength="4096"></label>
  <button type="submit">Open the board</button>
  <div id="error" role="alert"></div>
</form>
<script>
  const form = document.getElementById('sign-in');
  const error = document.getElementById('error');
  const detailOf = async (res) => { try { return (await res.json()).detail; } catch { return res.statusText; } };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    let token = form.token.value.trim();
    if (!token) {
      const login = await fetch('/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: form.email.value, password: form.password.value }),
      });
      if (!login.ok) { error.textContent = await detailOf(login); return; }
      token = (await login.json()).accessToken;
    }
    const session = await fetch('/admin/queues/session', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + token },
      credentials: 'same-origin',
    });
    if (session.status !== 204) { error.textContent = await detailOf(session); return; }
    location.assign('/admin/queues');
  });
</script>
</body>
</html>
`;
