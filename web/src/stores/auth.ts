import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Role } from '@shared/auth/roles.ts';
import { api } from '../api';

/** The signed-in staff member, as /auth/me describes them. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  departmentId: string | null;
  windowIds: string[];
  /** The hall acted in (code), and the halls the user can switch to: home first, then grants. */
  hall: string | null;
  halls: { code: string; name: string; roles: Role[]; home: boolean }[];
}

interface LoginResult {
  token: string;
  expiresAt: string;
  user: { id: string; username: string; displayName: string; roles: Role[]; mustChangePassword: boolean };
}

const TOKEN_KEY = 'onewindow.token';
/** The hall a user last chose to act in, remembered per browser and per user. */
const hallKey = (userId: string) => `onewindow.hall.${userId}`;

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(localStorage.getItem(TOKEN_KEY));
  const user = ref<SessionUser | null>(null);
  /** Sent as X-Hall with every call; null acts in the home hall. */
  const hall = ref<string | null>(null);
  /** Set after a manager reset the password: the user must choose a new one before working. */
  const mustChangePassword = ref(false);
  const signedIn = computed(() => token.value !== null);

  function setToken(value: string | null) {
    token.value = value;
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  }

  /** Throws ApiError (quietly): the login page shows wrong-password and lockout messages itself. */
  async function login(username: string, password: string) {
    const result = await api.post<LoginResult>('/auth/login', { username, password }, { quiet: true });
    setToken(result.token);
    mustChangePassword.value = result.user.mustChangePassword;
    user.value = null;
    await restore();
  }

  /** True when a session exists and the server still accepts it; loads the user once. */
  async function restore(): Promise<boolean> {
    if (!token.value) return false;
    if (user.value) return true;
    try {
      hall.value = null;
      const home = await api.get<SessionUser>('/auth/me', { quiet: true });
      const chosen = localStorage.getItem(hallKey(home.id));
      if (chosen && chosen !== home.hall && home.halls.some((h) => h.code === chosen)) {
        hall.value = chosen;
        // Should the server refuse the hall after all (a grant just withdrawn), stay in the home hall.
        user.value = await api.get<SessionUser>('/auth/me', { quiet: true }).catch(() => {
          hall.value = null;
          return home;
        });
      } else {
        user.value = home;
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Acts in another of the user's halls from now on; pages load afresh for it. */
  function switchHall(code: string) {
    if (!user.value) return;
    const home = user.value.halls.find((h) => h.home)?.code;
    if (code === home) localStorage.removeItem(hallKey(user.value.id));
    else localStorage.setItem(hallKey(user.value.id), code);
    window.location.reload();
  }

  async function logout() {
    try {
      await api.post('/auth/logout', undefined, { quiet: true });
    } finally {
      expire();
    }
  }

  function expire() {
    setToken(null);
    user.value = null;
    hall.value = null;
    mustChangePassword.value = false;
  }

  /** The headers of a staff call: the session and the hall acted in (raw fetches for files use them too). */
  function sessionHeaders(): Record<string, string> {
    if (!token.value) return {};
    return hall.value ? { authorization: `Bearer ${token.value}`, 'x-hall': hall.value } : { authorization: `Bearer ${token.value}` };
  }

  /** Whether the user may open a page for these roles; admin may open every page, as on the server. */
  function allows(roles: readonly Role[] | undefined): boolean {
    const mine = user.value?.roles ?? [];
    return !roles || mine.includes('admin') || roles.some((r) => mine.includes(r));
  }

  return { token, user, hall, mustChangePassword, signedIn, login, restore, switchHall, sessionHeaders, logout, expire, allows };
});
