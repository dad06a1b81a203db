-- Issue 7 (roll-up at province scale, docs/performance.md): one covering index for a year's live
-- pledges, keyed by branch, carrying every column the roll-up and the branch grid read, so both the
-- per-branch counts and "members with a plan" come from an index-only scan. It replaces the narrower
-- (year, branch_id, status) index of 0007, which it serves as well.
DROP INDEX ix_pledges_year_branch_id_status;
CREATE INDEX ix_pledges_year_branch_id ON pledges (year, branch_id) INCLUDE (member_id, status, deadline) WHERE deleted_at IS NULL;
ANALYZE pledges;
