import { reactive, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { z } from 'zod';
import zodEn from 'zod/v4/locales/en.js';
import zodZhCN from 'zod/v4/locales/zh-CN.js';
import { api } from './api';
import { i18n } from './i18n';

/**
 * Inline form errors from the shared zod schemas: `check` returns the parsed value or null, and fills
 * `errors` keyed by field path (`name`, `workday.0`) for `<el-form-item :error="errors.name">`. Given the
 * form's model, a field's error goes away as soon as the field is edited.
 */
export function useFormErrors(model?: object) {
  const errors = reactive<Record<string, string | undefined>>({});

  function clear() {
    for (const key of Object.keys(errors)) delete errors[key];
  }

  for (const field of Object.keys(model ?? {})) {
    watch(
      () => JSON.stringify((model as Record<string, unknown>)[field]),
      () => {
        for (const key of Object.keys(errors)) if (key === field || key.startsWith(`${field}.`)) delete errors[key];
      },
    );
  }

  function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | null {
    clear();
    // zod's built-in messages (a number out of range...) follow the language; the schemas' own stay Chinese.
    z.config(i18n.global.locale.value === 'en' ? zodEn() : zodZhCN());
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.');
      errors[key] ??= issue.message;
    }
    return null;
  }

  return { errors, check, clear };
}

/**
 * A form dialog's state (`open`, `saving` and whatever else the page keeps with it). `closeAfter` runs the
 * request with the save button busy and closes the dialog only when the request succeeds, so a refused
 * form stays open with what was typed.
 */
export function useFormDialog<T extends object>(extra: T) {
  const dialog = reactive({ open: false, saving: false, ...extra });
  async function closeAfter(request: () => Promise<unknown>) {
    dialog.saving = true;
    try {
      await request();
      dialog.open = false;
    } finally {
      dialog.saving = false;
    }
  }
  return { dialog, closeAfter };
}

/** Saves a record from its dialog: changes `editing` when there is one, else adds one at `path`, and says which. */
export async function createOrUpdate(path: string, editing: { id: string } | null, input: unknown) {
  if (editing) await api.patch(`${path}/${editing.id}`, input);
  else await api.post(path, input);
  ElMessage.success(i18n.global.t(editing ? 'common.saved' : 'common.created'));
}
