// Signing in, for the staff pages (wall, console): the session cookie if there is one, else the
// page's `#signin` dialog (a form `#signin-form` with `name` and `password`, and `#signin-error`)
// until the server takes the name and password.

import * as api from './api';
import { $ } from './dom';
import { ApiError } from './http';
import type { User } from './types';

const WRONG = 'Sai tên đăng nhập hoặc mật khẩu · wrong name or password';

/** The signed-in user, after the dialog if nobody was; `wrong` is shown for a refused password. */
export async function signedIn(wrong = WRONG): Promise<User> {
  try {
    return await api.session();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
  }
  $('signin').hidden = false;
  document.getElementById('signin-name')?.focus();
  const user = await new Promise<User>((resolve) => {
    $('signin-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const data = new FormData(ev.target as HTMLFormElement);
      try {
        resolve(await api.signIn(String(data.get('name')), String(data.get('password'))));
      } catch {
        $('signin-error').textContent = wrong;
      }
    });
  });
  $('signin').hidden = true;
  return user;
}
