-- Indexes for the console's queries. metrics is served by its primary key (run_id, stage, name, step);
-- artifacts(run_id) by its unique (run_id, object_key); exported_models(run_id) by unique (run_id, name).

create index runs_status_idx on runs (status);
create index runs_created_at_idx on runs (created_at desc);
create index stage_attempts_run_stage_idx on stage_attempts (run_id, stage, id);
create index checkpoints_run_stage_step_idx on checkpoints (run_id, stage, step desc);
create index stage_cache_run_idx on stage_cache (run_id);
