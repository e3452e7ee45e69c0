-- +goose Up
-- Scenario-based tabletop exercises (issue 13): each exercise keeps its
-- domain value (exercise.Exercise: scenario, injects, debrief, lessons) in
-- doc, with the columns the list orders by; the responses are rows, one
-- per State and inject, so that States answering at once never overwrite
-- each other and answering twice replaces the State's answer.
CREATE TABLE exercises (
    id         INTEGER PRIMARY KEY,
    process    TEXT NOT NULL,
    starts_at  TIMESTAMP NOT NULL,
    ends_at    TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL
);
CREATE INDEX exercises_list ON exercises(process, starts_at);

CREATE TABLE exercise_responses (
    exercise_id INTEGER NOT NULL REFERENCES exercises(id),
    inject_no   INTEGER NOT NULL,
    state       TEXT NOT NULL,
    author      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    PRIMARY KEY (exercise_id, inject_no, state)
);

-- +goose Down
DROP TABLE exercise_responses;
DROP TABLE exercises;
