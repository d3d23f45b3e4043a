import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND position('@' in email) > 1),
        display_name text,
        role text NOT NULL DEFAULT 'runner' CHECK (role IN ('runner', 'coach', 'both')),
        units text NOT NULL DEFAULT 'km' CHECK (units IN ('km', 'mi')),
        timezone text NOT NULL DEFAULT 'UTC',
        email_alerts boolean NOT NULL DEFAULT true,
        email_weekly_summary boolean NOT NULL DEFAULT true,
        pain_checkin text NOT NULL DEFAULT 'auto' CHECK (pain_checkin IN ('auto', 'on', 'off')),
        rule_thresholds jsonb NOT NULL DEFAULT '{}',
        last_synced_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);

    await db.query(`
      CREATE TABLE strava_connections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
        athlete_id bigint NOT NULL UNIQUE,
        scopes text[] NOT NULL DEFAULT '{}',
        access_token_enc text NOT NULL,
        refresh_token_enc text NOT NULL,
        expires_at timestamptz NOT NULL,
        backfilled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE import_files (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        filename text NOT NULL,
        sha256 text NOT NULL,
        size_bytes bigint NOT NULL,
        status text NOT NULL CHECK (status IN ('imported', 'duplicate', 'rejected')),
        error text,
        runs_imported integer NOT NULL DEFAULT 0,
        channel text NOT NULL CHECK (channel IN ('upload', 'cli', 'watch', 'demo')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX import_files_user_idx ON import_files (user_id, created_at DESC)`);
    await db.query(`CREATE INDEX import_files_hash_idx ON import_files (user_id, sha256)`);

    await db.query(`
      CREATE TABLE shoes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        source text NOT NULL CHECK (source IN ('strava', 'import', 'manual')),
        external_id text NOT NULL,
        name text NOT NULL,
        reported_distance_m double precision CHECK (reported_distance_m >= 0),
        reported_at timestamptz,
        retire_threshold_m double precision CHECK (retire_threshold_m > 0),
        retired boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, source, external_id)
      )`);

    await db.query(`
      CREATE TABLE runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        source text NOT NULL CHECK (source IN ('strava', 'fit', 'import')),
        external_id text NOT NULL,
        sport text NOT NULL,
        source_sport text,
        is_run boolean NOT NULL,
        name text,
        description text,
        start_utc timestamptz NOT NULL,
        utc_offset_s integer NOT NULL CHECK (utc_offset_s BETWEEN -50400 AND 50400),
        timezone text,
        distance_m double precision NOT NULL CHECK (distance_m >= 0),
        moving_s double precision CHECK (moving_s >= 0),
        elapsed_s double precision CHECK (elapsed_s >= 0),
        elevation_gain_m double precision,
        elevation_loss_m double precision,
        avg_cadence_spm double precision,
        avg_hr double precision,
        perceived_exertion smallint CHECK (perceived_exertion BETWEEN 1 AND 10),
        shoe_id uuid REFERENCES shoes (id) ON DELETE SET NULL,
        splits jsonb,
        device text,
        flags text[] NOT NULL DEFAULT '{}',
        import_file_id uuid REFERENCES import_files (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, source, external_id)
      )`);
    await db.query(`CREATE INDEX runs_user_start_idx ON runs (user_id, start_utc)`);
    await db.query(`CREATE INDEX runs_shoe_idx ON runs (shoe_id) WHERE shoe_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE run_sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        source text NOT NULL CHECK (source IN ('strava', 'fit', 'import')),
        external_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, source, external_id)
      )`);
    await db.query(`CREATE INDEX run_sources_run_idx ON run_sources (run_id)`);

    await db.query(`
      CREATE TABLE pain_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        run_id uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        has_pain boolean NOT NULL DEFAULT true,
        location text,
        side text CHECK (side IN ('left', 'right', 'both')),
        onset_m double precision CHECK (onset_m >= 0),
        onset_s double precision CHECK (onset_s >= 0),
        severity smallint CHECK (severity BETWEEN 0 AND 10),
        source text NOT NULL CHECK (source IN ('strava_tag', 'email_link', 'web', 'api')),
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX pain_reports_user_idx ON pain_reports (user_id, created_at)`);
    await db.query(`CREATE INDEX pain_reports_run_idx ON pain_reports (run_id)`);

    await db.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        rule text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('info', 'caution', 'warning', 'high')),
        dedupe_key text NOT NULL,
        facts jsonb NOT NULL,
        message jsonb NOT NULL,
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        resolved_at timestamptz,
        notify_requested_at timestamptz,
        notified_at timestamptz,
        notified_severity text CHECK (notified_severity IN ('info', 'caution', 'warning', 'high')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX alerts_one_open_per_episode ON alerts (user_id, rule, dedupe_key) WHERE state = 'open'`);
    await db.query(`CREATE INDEX alerts_user_idx ON alerts (user_id, first_seen_at DESC)`);

    await db.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        coach_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        invite_code text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX teams_coach_idx ON teams (coach_id)`);

    await db.query(`
      CREATE TABLE memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        runner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('active', 'declined', 'left')),
        consent_given_at timestamptz,
        left_at timestamptz,
        scope jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (team_id, runner_id)
      )`);
    await db.query(`CREATE INDEX memberships_runner_idx ON memberships (runner_id)`);

    await db.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider text NOT NULL,
        dedupe_key text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'ignored', 'failed')),
        error text,
        processed_at timestamptz,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (provider, dedupe_key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'webhook_events',
      'memberships',
      'teams',
      'alerts',
      'pain_reports',
      'run_sources',
      'runs',
      'shoes',
      'import_files',
      'strava_connections',
      'users',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
