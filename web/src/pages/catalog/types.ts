import type { z } from 'zod';
import type {
  CompletenessReport,
  GuideContent,
  ImportReport,
  OneTimeNotice,
  ServiceDetail,
  ServiceSummary,
  SixDisclosures,
  StaffListItem,
  StaffView,
} from '@shared/catalog/schemas.ts';

// What the catalogue API returns, typed by the server's own response schemas.
export type ServiceSummaryView = z.infer<typeof ServiceSummary>;
export type ServiceDetailView = z.infer<typeof ServiceDetail>;
export type StaffListItemView = z.infer<typeof StaffListItem>;
export type StaffViewData = z.infer<typeof StaffView>;
export type GuideContentData = z.input<typeof GuideContent>;
export type CompletenessView = z.infer<typeof CompletenessReport>;
export type ImportReportView = z.infer<typeof ImportReport>;
export type NoticeView = z.infer<typeof OneTimeNotice>;
export type DisclosuresView = z.infer<typeof SixDisclosures>;
