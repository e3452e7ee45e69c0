-- +goose Up
-- Positions on DTG topics (issue 12): a statement may carry positions on
-- topics ("topic:3/t2", statement.TopicSubject) whatever item it was
-- delivered on, so a topic's register, the topic columns of the map and a
-- State's topic positions read this small table instead of every
-- statement's JSON. One row per statement and topic while the statement
-- stands (withdrawn: its rows go); session is the session of the meeting
-- it was delivered at, for the map's filter. No statement carried a topic
-- position before this migration, so there is nothing to fill.
CREATE TABLE statement_topics (
    statement_id BIGINT NOT NULL REFERENCES statements(id),
    process      TEXT NOT NULL,
    topic        TEXT NOT NULL,
    session      TEXT NOT NULL,
    speaker      TEXT NOT NULL,
    PRIMARY KEY (statement_id, topic)
);
CREATE INDEX statement_topics_topic ON statement_topics(process, topic);
CREATE INDEX statement_topics_session ON statement_topics(process, session);
CREATE INDEX statement_topics_speaker ON statement_topics(process, speaker);

-- +goose Down
DROP TABLE statement_topics;
