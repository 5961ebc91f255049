-- The console and the REST API (docs/API.md): teams, users, team API tokens, run ownership,
-- idempotency keys, the run event feed (also the webhook outbox) and webhooks with their deliveries.
-- Ids of webhook deliveries are made in the database with md5(...)::uuid, which every supported
-- PostgreSQL has (gen_random_uuid() is core only from 13).

create table teams (
    id              text primary key,             -- slug, e.g. ml, recsys
    name            text        not null,
    max_active_runs int,                          -- null = no quota
    created_at      timestamptz not null default now()
);
insert into teams (id, name) values ('default', 'Default team');

create table users (
    id            bigserial primary key,
    username      text        not null unique,
    password_hash text        not null,           -- BCrypt
    team_id       text        not null references teams (id),
    role          text        not null check (role in ('member', 'team_admin', 'admin')),
    created_at    timestamptz not null default now(),
    disabled_at   timestamptz
);

-- mdt_<id>_<secret>: only the SHA-256 of the whole token is stored (the secret has 190 bits).
create table api_tokens (
    id           text primary key,                -- the public part, 8 base32 characters
    team_id      text        not null references teams (id),
    name         text        not null,
    token_sha256 bytea       not null unique,
    scopes       text[]      not null,
    created_by   text,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index api_tokens_team_idx on api_tokens (team_id, created_at desc);

alter table runs
    add column team_id    text not null default 'default' references teams (id),
    add column created_by text;
create index runs_team_created_idx on runs (team_id, created_at desc, id desc);
create index runs_team_status_created_idx on runs (team_id, status, created_at desc, id desc);
create index runs_created_id_idx on runs (created_at desc, id desc);

-- Idempotency-Key on creating POSTs: the same key and body give the same run for 24 h.
create table idempotency_keys (
    team_id        text        not null references teams (id),
    key            text        not null,
    request_sha256 text        not null,
    run_id         text references runs (id) on delete cascade,
    created_at     timestamptz not null default now(),
    expires_at     timestamptz not null,
    primary key (team_id, key)
);

-- What happened to a run, in order: the console's event feed, SSE replay (Last-Event-ID = id) and
-- the webhook outbox (a terminal run status also queues one delivery per subscribed webhook).
create table run_events (
    id         bigserial primary key,
    run_id     text        not null references runs (id) on delete cascade,
    team_id    text        not null,
    type       text        not null,               -- status, stage, attempt
    payload    jsonb       not null,
    created_at timestamptz not null default now()
);
create index run_events_run_idx on run_events (run_id, id);

create table webhooks (
    id                text primary key,
    team_id           text        not null references teams (id),
    url               text        not null,
    events            text[]      not null,        -- run.succeeded, run.failed, run.cancelled, run.paused
    secret_ciphertext bytea       not null,        -- AES-256-GCM
    secret_nonce      bytea       not null,
    description       text,
    created_at        timestamptz not null default now(),
    disabled_at       timestamptz
);
create index webhooks_team_idx on webhooks (team_id);

create table webhook_deliveries (
    id               uuid primary key,            -- the webhook-id header, stable across retries
    webhook_id       text        not null references webhooks (id) on delete cascade,
    event_id         bigint      not null references run_events (id) on delete cascade,
    event_type       text        not null,
    status           text        not null default 'pending'
        check (status in ('pending', 'succeeded', 'dead', 'disabled')),
    attempts         int         not null default 0,
    next_attempt_at  timestamptz not null default now(),
    last_status_code int,
    last_error       text,
    created_at       timestamptz not null default now(),
    delivered_at     timestamptz
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_webhook_idx on webhook_deliveries (webhook_id, created_at desc);

create table audit_log (
    id      bigserial primary key,
    at      timestamptz not null default now(),
    actor   text        not null,
    team_id text,
    action  text        not null,
    run_id  text,
    detail  jsonb
);

-- Events are written by triggers, so workers (which know nothing of the console) feed them too.
create function run_event(p_run text, p_type text, p_payload jsonb) returns bigint as $$
declare
    v_team text;
    v_id   bigint;
begin
    select team_id into v_team from runs where id = p_run;
    if v_team is null then
        return null;
    end if;
    insert into run_events (run_id, team_id, type, payload) values (p_run, v_team, p_type, p_payload)
        returning id into v_id;
    perform pg_notify('run_events', json_build_object('id', v_id, 'runId', p_run, 'type', p_type)::text);
    return v_id;
end;
$$ language plpgsql;

create function runs_status_event() returns trigger as $$
declare
    v_event bigint;
    v_type  text;
begin
    if tg_op = 'UPDATE' and new.status is not distinct from old.status then
        return new;
    end if;
    v_event := run_event(new.id, 'status',
        json_build_object('status', new.status, 'error', new.error)::jsonb);
    v_type := case new.status
        when 'SUCCEEDED' then 'run.succeeded' when 'FAILED' then 'run.failed'
        when 'CANCELLED' then 'run.cancelled' when 'PAUSED' then 'run.paused' end;
    if v_type is not null and v_event is not null then
        insert into webhook_deliveries (id, webhook_id, event_id, event_type)
        select md5(w.id || ':' || v_event || ':' || random()::text || clock_timestamp()::text)::uuid,
               w.id, v_event, v_type
        from webhooks w
        where w.team_id = new.team_id and w.disabled_at is null and v_type = any (w.events);
    end if;
    return new;
end;
$$ language plpgsql;
create trigger runs_status_event after update of status on runs
    for each row execute procedure runs_status_event();

create function stages_status_event() returns trigger as $$
begin
    if tg_op = 'UPDATE' and new.status is not distinct from old.status then
        return new;
    end if;
    perform run_event(new.run_id, 'stage',
        json_build_object('stage', new.stage, 'status', new.status)::jsonb);
    return new;
end;
$$ language plpgsql;
create trigger stages_status_event after update of status on stages
    for each row execute procedure stages_status_event();

create function attempts_event() returns trigger as $$
begin
    if tg_op = 'UPDATE' and new.outcome is not distinct from old.outcome then
        return new;
    end if;
    perform run_event(new.run_id, 'attempt',
        json_build_object('stage', new.stage, 'attempt', new.attempt, 'worker', new.worker,
                          'outcome', new.outcome, 'error', new.error)::jsonb);
    return new;
end;
$$ language plpgsql;
create trigger attempts_event after insert or update of outcome on stage_attempts
    for each row execute procedure attempts_event();

-- Cron schedules that launch a run (periodic re-distillation). A tick is claimed by moving
-- last_tick_at forward in the same transaction that records the run, so with several console
-- replicas each tick launches exactly one run.
create table run_schedules (
    id           text primary key,
    team_id      text        not null references teams (id),
    name         text        not null,
    cron         text        not null,               -- Spring cron: second minute hour day month weekday
    request      jsonb       not null,               -- the POST /api/v1/runs body
    created_by   text,
    created_at   timestamptz not null default now(),
    enabled      boolean     not null default true,
    last_tick_at timestamptz
);
create index run_schedules_team_idx on run_schedules (team_id, created_at desc);
