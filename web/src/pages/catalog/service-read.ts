import { shallowRef, ref, watch } from 'vue';
import { useRoute } from 'vue-router';
import { ApiError, api } from '@/api';

/**
 * What a portal page shows of the service named in its route (`:code`), read again when the code
 * changes; `missing` when the hall has no such service (404), so the page can say so.
 */
export function useServiceRead<T>(path: (code: string) => string) {
  const route = useRoute();
  const data = shallowRef<T | null>(null);
  const missing = ref(false);
  const loading = ref(true);
  watch(
    () => route.params.code,
    async (code) => {
      if (typeof code !== 'string') return;
      loading.value = true;
      missing.value = false;
      try {
        data.value = await api.get<T>(path(encodeURIComponent(code)), { quiet: true });
      } catch (err) {
        missing.value = err instanceof ApiError && err.status === 404;
        data.value = null;
      } finally {
        loading.value = false;
      }
    },
    { immediate: true },
  );
  return { data, missing, loading };
}
