-- A RUNNING run's loop writes a heartbeat while it works; a RUNNING run whose heartbeat went quiet was left by a
-- process that died, and is ended FAILED (interrupted) by any live instance (agent/InterruptedRuns.java).
alter table agent_runs add column heartbeat_at timestamptz;
