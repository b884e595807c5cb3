// What other capabilities use of feedback: the month's rating indicators (the monthly bulletin), the SMS
// rating invitation of a completed case (cases), and the timer handlers (the server).
import type { TimerHandler } from '../jobs/timers.js';
import { APPEAL_TIMER, appealOverdue } from './appeals.js';
import { COMPLAINT_TIMER, complaintOverdue, IMPOSSIBLE_REPLY_TIMER, impossibleReplyDue } from './complaints.js';
import { FOLLOWUP_TIMER, followupOverdue } from './followups.js';
import { PETITION_TIMER, petitionOverdue } from './petitions.js';
import { SUGGESTION_TIMER, suggestionOverdue } from './suggestions.js';

export { ratingIndicators, type IndicatorRow, type MonthIndicators } from './indicators.js';
export { inviteCaseRating } from './ratings.js';

/** Overdue escalation of follow-ups, complaints (and the answer after a 办不成事 finding), petitions, suggestions and appeals. */
export const feedbackTimerHandlers: Record<string, TimerHandler> = {
  [FOLLOWUP_TIMER]: followupOverdue,
  [COMPLAINT_TIMER]: complaintOverdue,
  [IMPOSSIBLE_REPLY_TIMER]: impossibleReplyDue,
  [PETITION_TIMER]: petitionOverdue,
  [SUGGESTION_TIMER]: suggestionOverdue,
  [APPEAL_TIMER]: appealOverdue,
};
