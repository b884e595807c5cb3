-- Forwarding between halls of the network (上报件 within the network): a case received at a village station
-- or township centre goes to a hall above it that decides the item, which signs for it (签收, with a time
-- limit and a light), decides it and sends the result back. It stays one case, one number and one log; the
-- log's rows name the hall whose staff made each move, the row carries where the case went.

ALTER TABLE cases DROP CONSTRAINT cases_status_check;
ALTER TABLE cases ADD CONSTRAINT cases_status_check CHECK (status IN ('received', 'awaiting_supplement', 'accepted', 'joint_review', 'paused',
  'escalated', 'forwarded', 'transferred', 'completed', 'delivered', 'returned', 'not_accepted', 'not_required'));

ALTER TABLE case_actions DROP CONSTRAINT case_actions_action_check;
ALTER TABLE case_actions ADD CONSTRAINT case_actions_action_check CHECK (action IN ('receive', 'accept', 'correct', 'supplement', 'reject',
  'no_approval', 'return', 'escalate', 'forward', 'pause', 'resume', 'task_complete', 'complete', 'schedule_pickup', 'pick_up', 'mail',
  'transfer', 'sign', 'decline', 'send_back'));

-- The hall whose staff made a move, when not the case's own (its hall_id, which every log row keeps, so the
-- exchange and retention read a case's whole log under its hall).
ALTER TABLE case_actions ADD COLUMN actor_hall_id uuid REFERENCES halls(id);

-- The hall the case was transferred to and its department for the item: kept after the result goes back,
-- so the deciding hall can still read the case. Projections of the log, like the status.
ALTER TABLE cases ADD COLUMN transfer_hall_id uuid REFERENCES halls(id);
ALTER TABLE cases ADD COLUMN transfer_department_id uuid REFERENCES departments(id);
-- True while the deciding hall holds the case (from the transfer until the result goes back): its inbox.
ALTER TABLE cases ADD COLUMN held_upstream boolean NOT NULL DEFAULT false;

-- The deciding hall's inbox: cases transferred to it, those it holds first, by due date.
CREATE INDEX cases_transfer_idx ON cases (transfer_hall_id, held_upstream, deadline_at) WHERE transfer_hall_id IS NOT NULL;
