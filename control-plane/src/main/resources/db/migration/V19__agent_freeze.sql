-- What an agent said at its last check-in about the signed assignment it acts under (see the
-- protocol's AssignmentReport): a frozen agent, one whose last assignment expired with no newer
-- one reaching it, is shown as such, and so is the reason it refused the last answer it got.
alter table agent add column assignment_valid_until timestamptz;
alter table agent add column frozen_since timestamptz;
alter table agent add column assignment_problem varchar(500);
