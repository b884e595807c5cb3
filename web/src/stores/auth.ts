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
}

interface LoginResult {
  token: string;
  expiresAt: string;
  user: { id: string; username: string; displayName: string; roles: Role[]; mustChangePassword: boolean };
}

const TOKEN_KEY = 'onewindow.token';

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(localStorage.getItem(TOKEN_KEY));
  const user = ref<SessionUser | null>(null);
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
      user.value = await api.get<SessionUser>('/auth/me', { quiet: true });
      return true;
    } catch {
      return false;
    }
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
    mustChangePassword.value = false;
  }

  /** Whether the user may open a page for these roles; admin may open every page, as on the server. */
  function allows(roles: readonly Role[] | undefined): boolean {
    const mine = user.value?.roles ?? [];
    return !roles || mine.includes('admin') || roles.some((r) => mine.includes(r));
  }

  return { token, user, mustChangePassword, signedIn, login, restore, logout, expire, allows };
});
