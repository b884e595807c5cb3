import { ref } from 'vue';

/** The current month `YYYY-MM` on the hall's clock, for the pages' month pickers. */
export function currentMonth(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
}

export const useMonth = () => ref(currentMonth());
