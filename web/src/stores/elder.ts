import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

const STORAGE_KEY = 'onewindow.elder';

/** The public pages' big-text mode (大字版), kept on this device. */
export const useElderStore = defineStore('elder', () => {
  const on = ref(localStorage.getItem(STORAGE_KEY) === '1');
  watch(on, (value) => localStorage.setItem(STORAGE_KEY, value ? '1' : '0'));
  return { on, toggle: () => (on.value = !on.value) };
});
