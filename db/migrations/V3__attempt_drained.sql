-- A drained attempt (its worker shut down and handed the stage over) is recorded as DRAINED, apart
-- from LOST (worker died) and FAILED (code or data error): preemptions and errors have separate
-- budgets (docs/PIPELINE.md). Counted per run by RunRepository's attempt counts.

alter table stage_attempts drop constraint stage_attempts_outcome_check;
alter table stage_attempts add constraint stage_attempts_outcome_check
    check (outcome in ('RUNNING', 'SUCCEEDED', 'FAILED', 'LOST', 'DRAINED', 'PAUSED', 'CANCELLED',
                       'SUPERSEDED'));
