-- rollback: 005
-- description: Drop the alerts table
-- destroys: every alert, open or resolved, with its read and resolved state.

DROP TABLE alerts;
