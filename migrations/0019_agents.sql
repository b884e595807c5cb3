-- Agents (代办员, 全程代理): people registered at a village station or township centre who carry applications
-- for residents to the halls that decide them and bring the results back. An agent is a record of the hall,
-- not a staff role (shared/api.md fixes the roles); one may be linked to a staff account of that hall to see
-- their own board.
CREATE TABLE agents (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id        uuid NOT NULL REFERENCES halls(id),
  user_id        uuid UNIQUE REFERENCES users(id),
  name           text NOT NULL,
  -- The agent's mobile, sealed with the data key like every personal number; masked in lists.
  phone_enc      text NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  status_reason  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
-- A county reads agents across its subtree: by hall.
CREATE INDEX agents_hall_idx ON agents (hall_id, name);

-- Training record: each course taken, when, and the certificate it gave.
CREATE TABLE agent_trainings (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id      uuid NOT NULL REFERENCES halls(id),
  agent_id     uuid NOT NULL REFERENCES agents(id),
  course       text NOT NULL,
  trained_on   date NOT NULL,
  certificate  text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_trainings_agent_idx ON agent_trainings (agent_id, trained_on);

-- The agent who carries a case (linked at receipt or later, audited). The board and the load read the
-- agent's cases still owed to the applicant: open, or completed and not yet handed over.
ALTER TABLE cases ADD COLUMN agent_id uuid REFERENCES agents(id);
CREATE INDEX cases_agent_idx ON cases (agent_id, deadline_at) WHERE agent_id IS NOT NULL AND status NOT IN ('delivered', 'returned', 'not_accepted', 'not_required');
