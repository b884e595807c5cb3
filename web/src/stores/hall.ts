import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api';

/** The hall's name for headers. Unknown until loaded, and when the server cannot say: pages then show a generic name. */
export const useHallStore = defineStore('hall', () => {
  const name = ref<string | null>(null);

  /** Staff see their own hall. */
  async function loadForStaff() {
    const hall = await api.get<{ name: string }>('/hall', { quiet: true }).catch(() => null);
    if (hall) name.value = hall.name;
  }

  /**
   * The public pages and the login page see the hall the deployment serves (`GET /public/hall`, the
   * public counterpart of `GET /hall`); until the server offers it they show the generic name.
   */
  async function loadPublic() {
    if (name.value) return;
    const hall = await api.get<{ name: string }>('/public/hall', { quiet: true }).catch(() => null);
    if (hall) name.value = hall.name;
  }

  return { name, loadForStaff, loadPublic };
});
