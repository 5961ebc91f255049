-- Run metadata for MagicDistill: one row per run, per stage, per Temporal activity attempt,
-- plus the checkpoints, metric series, artifacts and exported models they produce.
-- Written by the worker's activities (com.magicdistill.db.RunRepository); read by the console.
-- Flyway owns this schema: never edit an applied migration, add V<n+1>__<what>.sql instead.

create table runs (
    id               text primary key,          -- run id, e.g. r-20261126-abc123
    name             text        not null,
    spec             jsonb       not null,      -- the full validated RunSpec
    spec_sha256      text        not null,
    preset           text,
    status           text        not null default 'QUEUED'
        check (status in ('QUEUED', 'RUNNING', 'PAUSED', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    workflow_id      text,
    code_version     text,
    reused_from_run  text references runs (id) on delete set null,
    reuse_from_stage text,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    error            text
);

create table stages (
    run_id      text        not null references runs (id) on delete cascade,
    stage       text        not null,              -- slug: fine-tune, dmd-lora, w2s, export, evaluate
    ordinal     int         not null,
    status      text        not null default 'PENDING'
        check (status in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'CACHED', 'REUSED')),
    cache_key   text,
    outputs     jsonb,                             -- object keys and hashes the stage produced
    total_steps bigint,
    started_at  timestamptz,
    finished_at timestamptz,
    primary key (run_id, stage)
);

-- One row per Temporal activity attempt of a stage. The newest row (highest id) of a run+stage is
-- the only attempt allowed to write checkpoints (the fence).
create table stage_attempts (
    id           bigserial primary key,
    run_id       text        not null references runs (id) on delete cascade,
    stage        text        not null,
    attempt      int         not null,             -- Temporal attempt number
    worker       text,                             -- worker identity
    started_at   timestamptz not null default now(),
    ended_at     timestamptz,
    outcome      text        not null default 'RUNNING'
        check (outcome in ('RUNNING', 'SUCCEEDED', 'FAILED', 'LOST', 'PAUSED', 'CANCELLED', 'SUPERSEDED')),
    start_step   bigint      not null default 0,   -- step it resumed at; 0 for a fresh start
    end_step     bigint,
    resumed_from text,                             -- checkpoint object key it resumed from
    error        text
);

create table checkpoints (
    id         bigserial primary key,
    run_id     text        not null references runs (id) on delete cascade,
    stage      text        not null,
    attempt_id bigint      not null references stage_attempts (id) on delete cascade,
    object_key text        not null unique,
    step       bigint      not null,
    bytes      bigint      not null,
    sha256     text        not null,
    metric     double precision,
    created_at timestamptz not null default now(),
    deleted_at timestamptz                         -- set when retention removed the object
);

-- One value per (run, stage, series, step): a resumed attempt that replays steps overwrites them.
create table metrics (
    run_id      text             not null references runs (id) on delete cascade,
    stage       text             not null,
    step        bigint           not null,
    name        text             not null,
    value       double precision not null,
    recorded_at timestamptz      not null default now(),
    primary key (run_id, stage, name, step)
);

create table artifacts (
    id         bigserial primary key,
    run_id     text        not null references runs (id) on delete cascade,
    stage      text,
    kind       text        not null check (kind in ('checkpoint', 'samples', 'report', 'dataset', 'model')),
    object_key text        not null,
    sha256     text,
    bytes      bigint      not null,
    created_at timestamptz not null default now(),
    unique (run_id, object_key)
);

create table exported_models (
    id              bigserial primary key,
    run_id          text        not null references runs (id) on delete cascade,
    name            text        not null,
    object_prefix   text        not null,
    manifest_sha256 text        not null,
    metrics         jsonb,
    created_at      timestamptz not null default now(),
    unique (run_id, name)
);

-- Stage outputs by cache key, so a later run with the same inputs can skip the stage.
create table stage_cache (
    cache_key  text primary key,
    run_id     text        not null references runs (id) on delete cascade,
    stage      text        not null,
    outputs    jsonb       not null,
    created_at timestamptz not null default now()
);
