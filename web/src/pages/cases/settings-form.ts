import { ref, type Ref } from 'vue';
import { ElMessage } from 'element-plus';
import type { z } from 'zod';
import { api } from '@/api';
import { i18n } from '@/i18n';

/**
 * A settings page's load and save (the cases' and the feedback ledgers'): checked with the server's own
 * schema before it is sent, so a wrong value is told at once, in the schema's Chinese message.
 */
export function useSettingsForm<S extends z.ZodType>(url: string, schema: S, invalidMessage: () => string) {
  const settings = ref(null) as Ref<z.output<S> | null>;
  const saving = ref(false);
  void api.get<z.output<S>>(url).then((s) => (settings.value = s));

  async function save() {
    if (!settings.value) return;
    const parsed = schema.safeParse(settings.value);
    if (!parsed.success) {
      ElMessage.error(parsed.error.issues[0]?.message ?? invalidMessage());
      return;
    }
    saving.value = true;
    try {
      settings.value = await api.put<z.output<S>>(url, parsed.data);
      ElMessage.success(i18n.global.t('common.saved'));
    } finally {
      saving.value = false;
    }
  }
  return { settings, saving, save };
}
