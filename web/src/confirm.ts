import { ElMessageBox } from 'element-plus';
import { i18n } from './i18n';

/** Asks before a destructive step; resolves false when the user backs out. */
export function confirmAction(message: string, confirmText: string): Promise<boolean> {
  const { t } = i18n.global;
  return ElMessageBox.confirm(message, t('common.confirm'), {
    type: 'warning',
    confirmButtonText: confirmText,
    cancelButtonText: t('common.cancel'),
  }).then(
    () => true,
    () => false,
  );
}
