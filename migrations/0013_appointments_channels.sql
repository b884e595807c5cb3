-- Appointments, second step: the elderly (涉老) green channel, home visits assigned to a staff member, and
-- the per-person daily limit enforced by the database.

-- 涉老: a booking for a person aged 60 or more checks in to an elderly-priority ticket.
ALTER TABLE appointments DROP CONSTRAINT appointments_channel_check;
ALTER TABLE appointments ADD CONSTRAINT appointments_channel_check
  CHECK (channel IN ('normal', 'elderly', 'same_day', 'home_visit', 'green_window'));

-- 上门服务: the staff member who visits.
ALTER TABLE appointments ADD COLUMN assigned_staff_id uuid REFERENCES users(id);
CREATE INDEX appointments_assigned ON appointments (assigned_staff_id, local_date) WHERE assigned_staff_id IS NOT NULL;

-- Bookings per person per day, taken with the same conditional upsert as a slot's places
-- (... ON CONFLICT DO UPDATE ... WHERE booked < limit), so two concurrent bookings of one person cannot
-- both pass the daily limit. It counts open bookings, as the limit always did: a booking that is
-- cancelled, checked in or missed gives its count back.
CREATE TABLE appointment_person_days (
  hall_id     uuid NOT NULL REFERENCES halls(id),
  id_hash     text NOT NULL,
  local_date  date NOT NULL,
  booked      integer NOT NULL CHECK (booked >= 0),
  PRIMARY KEY (hall_id, id_hash, local_date)
);
INSERT INTO appointment_person_days (hall_id, id_hash, local_date, booked)
SELECT hall_id, id_hash, local_date, count(*)::int FROM appointments
WHERE id_hash IS NOT NULL AND status = 'booked'
GROUP BY hall_id, id_hash, local_date;
