-- +goose Up
-- Organisations that signed up themselves: each waits for the Secretariat's
-- verification (pending), then is verified or rejected with a reason. Until
-- verified it is not public and cannot apply. duplicates keeps the ids of
-- the likely duplicates the applicant was shown and confirmed, as evidence;
-- ecosoc_claim is the ECOSOC identifier the applicant claims (the status
-- itself stays a fact the Secretariat establishes).
CREATE TABLE org_signups (
    org_id       BIGINT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    status       TEXT NOT NULL,
    ecosoc_claim TEXT NOT NULL DEFAULT '',
    duplicates   TEXT NOT NULL DEFAULT '[]',
    reason       TEXT NOT NULL DEFAULT '',
    lang         TEXT NOT NULL DEFAULT 'en',
    created_at   TIMESTAMPTZ NOT NULL,
    decided_at   TIMESTAMPTZ
);
CREATE INDEX org_signups_status ON org_signups(status, created_at);

-- +goose Down
DROP TABLE org_signups;
