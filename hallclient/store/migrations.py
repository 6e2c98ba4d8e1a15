"""The window database's schema, step by step, each step's DDL written out as it was released.

A step never creates tables from today's models (`models.py` describes the newest shape only):
once a step is released its SQL is frozen here, and a later change is a new step. The frozen
fixtures in tests/store/fixtures are migrated in a test and compared with a fresh database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection

# -- step 1: catalog, bundles, meta, loaded calendar years -------------------------------------
STEP_1 = (
    """CREATE TABLE meta (
	"key" VARCHAR(64) NOT NULL,
	value TEXT,
	PRIMARY KEY ("key")
)""",
    """CREATE TABLE service_items (
	code VARCHAR(64) NOT NULL,
	position INTEGER NOT NULL,
	basic_code VARCHAR(64),
	name VARCHAR(200) NOT NULL,
	item_type VARCHAR(16) NOT NULL,
	department TEXT NOT NULL,
	window_category VARCHAR(32),
	legal_limit_days INTEGER,
	promised_limit_days INTEGER,
	on_site_approval BOOLEAN NOT NULL,
	tolerance_allowed BOOLEAN NOT NULL,
	commitment_allowed BOOLEAN NOT NULL,
	fee TEXT,
	conditions TEXT,
	basis TEXT,
	visits INTEGER,
	state VARCHAR(16) NOT NULL,
	version INTEGER NOT NULL,
	content_hash VARCHAR(40) NOT NULL,
	pinyin_initials TEXT NOT NULL,
	pinyin_full TEXT NOT NULL,
	PRIMARY KEY (code)
)""",
    """CREATE TABLE materials (
	id INTEGER NOT NULL,
	item_code VARCHAR(64) NOT NULL,
	position INTEGER NOT NULL,
	"key" VARCHAR(64) NOT NULL,
	name VARCHAR(200) NOT NULL,
	necessity VARCHAR(16) NOT NULL,
	core BOOLEAN NOT NULL,
	form VARCHAR(32),
	copies INTEGER,
	source VARCHAR(16) NOT NULL,
	tolerable BOOLEAN NOT NULL,
	supplement_days INTEGER,
	commitment BOOLEAN NOT NULL,
	standard TEXT,
	note TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(item_code) REFERENCES service_items (code) ON DELETE CASCADE
)""",
    """CREATE INDEX ix_materials_item ON materials (item_code, position)""",
    """CREATE TABLE bundles (
	code VARCHAR(64) NOT NULL,
	position INTEGER NOT NULL,
	name VARCHAR(200) NOT NULL,
	PRIMARY KEY (code)
)""",
    """CREATE TABLE bundle_items (
	bundle_code VARCHAR(64) NOT NULL,
	position INTEGER NOT NULL,
	item_code VARCHAR(64) NOT NULL,
	PRIMARY KEY (bundle_code, position),
	FOREIGN KEY(bundle_code) REFERENCES bundles (code) ON DELETE CASCADE
)""",
    """CREATE TABLE calendar_years (
	year INTEGER NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (year)
)""",
)

# -- step 2: cases, case events, the outbox and number counters ------------------------------
STEP_2 = (
    """CREATE TABLE cases (
	uuid VARCHAR(36) NOT NULL,
	case_number VARCHAR(64) NOT NULL,
	state VARCHAR(32) NOT NULL,
	decision VARCHAR(32) NOT NULL,
	applicant_name TEXT NOT NULL,
	applicant_id VARCHAR(32) NOT NULL,
	applicant TEXT NOT NULL,
	item_codes TEXT NOT NULL,
	item_names TEXT NOT NULL,
	bundle_code VARCHAR(64),
	bundle_name VARCHAR(200),
	checklist TEXT NOT NULL,
	reasons TEXT NOT NULL,
	tolerated TEXT NOT NULL,
	commitments TEXT NOT NULL,
	due_date VARCHAR(10),
	deadline_problem TEXT,
	accepted_on VARCHAR(10) NOT NULL,
	window_number VARCHAR(16) NOT NULL,
	clerk_name VARCHAR(100) NOT NULL,
	ticket_number VARCHAR(32),
	previous_case_uuid VARCHAR(36),
	return_reason TEXT,
	created_at VARCHAR(32) NOT NULL,
	updated_at VARCHAR(32) NOT NULL,
	PRIMARY KEY (uuid),
	UNIQUE (case_number)
)""",
    """CREATE INDEX ix_cases_applicant_name ON cases (applicant_name)""",
    """CREATE INDEX ix_cases_state ON cases (state)""",
    """CREATE INDEX ix_cases_accepted_on ON cases (accepted_on)""",
    """CREATE INDEX ix_cases_applicant_id ON cases (applicant_id)""",
    """CREATE TABLE case_events (
	uuid VARCHAR(36) NOT NULL,
	case_uuid VARCHAR(36) NOT NULL,
	kind VARCHAR(32) NOT NULL,
	at VARCHAR(32) NOT NULL,
	clerk_name VARCHAR(100) NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (uuid),
	FOREIGN KEY(case_uuid) REFERENCES cases (uuid)
)""",
    """CREATE INDEX ix_case_events_case_uuid ON case_events (case_uuid)""",
    """CREATE TABLE outbox (
	id INTEGER NOT NULL,
	kind VARCHAR(32) NOT NULL,
	record_uuid VARCHAR(36) NOT NULL,
	payload TEXT NOT NULL,
	created_at VARCHAR(32) NOT NULL,
	attempts INTEGER NOT NULL,
	next_attempt_at VARCHAR(32),
	last_error TEXT,
	done_at VARCHAR(32),
	PRIMARY KEY (id)
)""",
    """CREATE INDEX ix_outbox_done_at ON outbox (done_at)""",
    """CREATE TABLE counters (
	name VARCHAR(64) NOT NULL,
	value INTEGER NOT NULL,
	PRIMARY KEY (name)
)""",
)

# -- step 3: walk-in queue numbers issued while the central service was unreachable ---------
STEP_3 = (
    """CREATE TABLE walkin_tickets (
	uuid VARCHAR(36) NOT NULL,
	day VARCHAR(10) NOT NULL,
	number VARCHAR(32) NOT NULL,
	seq INTEGER NOT NULL,
	window VARCHAR(16) NOT NULL,
	category VARCHAR(32) NOT NULL,
	state VARCHAR(16) NOT NULL,
	calls INTEGER NOT NULL,
	issued_at VARCHAR(40) NOT NULL,
	last_called_at VARCHAR(40),
	updated_at VARCHAR(40) NOT NULL,
	handed_over BOOLEAN NOT NULL,
	PRIMARY KEY (uuid)
)""",
    """CREATE INDEX ix_walkin_tickets_day ON walkin_tickets (day)""",
    """CREATE UNIQUE INDEX ux_walkin_tickets_day_number ON walkin_tickets (day, number)""",
)

# -- step 4: people, the audit chain, personal data encrypted ---------------------------------
# Accounts of a standalone window, and the offline verifiers of central accounts that signed in
# here before (source = 'central'); failed sign-ins per login (also for unknown logins); the
# append-only audit chain; cases keep the accepting person's login. Existing cases are
# encrypted by hallclient.store.pii_migration right after this step (it needs the key).
STEP_4 = (
    """CREATE TABLE users (
	login VARCHAR(64) NOT NULL,
	name VARCHAR(100) NOT NULL,
	roles TEXT NOT NULL,
	departments TEXT NOT NULL,
	password_hash TEXT,
	source VARCHAR(16) NOT NULL,
	disabled BOOLEAN NOT NULL,
	verified_at VARCHAR(40),
	created_at VARCHAR(40) NOT NULL,
	updated_at VARCHAR(40) NOT NULL,
	PRIMARY KEY (login)
)""",
    """CREATE TABLE sign_in_attempts (
	login VARCHAR(64) NOT NULL,
	failed_count INTEGER NOT NULL,
	locked_until VARCHAR(40),
	PRIMARY KEY (login)
)""",
    """CREATE TABLE audit_log (
	seq INTEGER NOT NULL,
	uuid VARCHAR(36) NOT NULL,
	at VARCHAR(40) NOT NULL,
	actor VARCHAR(64) NOT NULL,
	roles TEXT NOT NULL,
	window VARCHAR(16) NOT NULL,
	kind VARCHAR(32) NOT NULL,
	case_number VARCHAR(64),
	detail TEXT NOT NULL,
	prev_tag VARCHAR(64) NOT NULL,
	tag VARCHAR(64) NOT NULL,
	PRIMARY KEY (seq),
	UNIQUE (uuid)
)""",
    """CREATE INDEX ix_audit_log_actor ON audit_log (actor)""",
    """CREATE INDEX ix_audit_log_case_number ON audit_log (case_number)""",
    """CREATE INDEX ix_audit_log_at ON audit_log (at)""",
    """ALTER TABLE cases ADD COLUMN clerk_login VARCHAR(64)""",
)


# -- step 5: catalog fields of issue 15 (all optional; older catalog files still load) ---------
# A material's 设定依据 (printed on the 告知承诺书 that replaces it) and the bundle item that
# issues it (本套办理中产生); an item's back office (承办科室), the service guide it follows and
# how the law states its limit where that is not in working days.
STEP_5 = (
    """ALTER TABLE materials ADD COLUMN basis TEXT""",
    """ALTER TABLE materials ADD COLUMN produced_by VARCHAR(64)""",
    """ALTER TABLE service_items ADD COLUMN back_office TEXT""",
    """ALTER TABLE service_items ADD COLUMN guide TEXT""",
    """ALTER TABLE service_items ADD COLUMN limit_note TEXT""",
)


# -- step 6: chief representatives' authorisations, pre-reviews; a case keeps its pre-review --
STEP_6 = (
    """CREATE TABLE authorisations (
	login VARCHAR(64) NOT NULL,
	version INTEGER NOT NULL,
	data TEXT NOT NULL,
	created_by VARCHAR(64) NOT NULL,
	created_at VARCHAR(40) NOT NULL,
	PRIMARY KEY (login, version)
)""",
    """CREATE TABLE prereviews (
	uuid VARCHAR(36) NOT NULL,
	number VARCHAR(32) NOT NULL,
	applicant_name TEXT NOT NULL,
	applicant TEXT NOT NULL,
	item_codes TEXT NOT NULL,
	outcome VARCHAR(16) NOT NULL,
	proxy_login VARCHAR(64) NOT NULL,
	created_at VARCHAR(40) NOT NULL,
	valid_until VARCHAR(10) NOT NULL,
	data TEXT NOT NULL,
	used_case_uuid VARCHAR(36),
	used_case_number VARCHAR(64),
	used_window VARCHAR(16),
	used_at VARCHAR(40),
	PRIMARY KEY (uuid),
	UNIQUE (number)
)""",
    """CREATE INDEX ix_prereviews_proxy_login ON prereviews (proxy_login)""",
    """ALTER TABLE cases ADD COLUMN prereview_number VARCHAR(32)""",
)


# -- step 7: 好差评 ratings, their rectification tasks, complaints; a case's rating token ---------
STEP_7 = (
    """CREATE TABLE ratings (
	uuid VARCHAR(36) NOT NULL,
	service_key VARCHAR(120) NOT NULL,
	case_uuid VARCHAR(36),
	case_number VARCHAR(64),
	ticket_number VARCHAR(32),
	window VARCHAR(16) NOT NULL,
	clerk_login VARCHAR(64) NOT NULL,
	level VARCHAR(24),
	channel VARCHAR(16) NOT NULL,
	rated_at VARCHAR(40) NOT NULL,
	data TEXT NOT NULL,
	phone TEXT,
	PRIMARY KEY (uuid),
	UNIQUE (service_key)
)""",
    """CREATE INDEX ix_ratings_rated_at ON ratings (rated_at)""",
    """CREATE INDEX ix_ratings_clerk_login ON ratings (clerk_login)""",
    """CREATE TABLE rectifications (
	uuid VARCHAR(36) NOT NULL,
	rating_uuid VARCHAR(36) NOT NULL,
	state VARCHAR(16) NOT NULL,
	opened_on VARCHAR(10) NOT NULL,
	contact_by VARCHAR(10),
	rectify_by VARCHAR(10),
	window VARCHAR(16) NOT NULL,
	clerk_login VARCHAR(64) NOT NULL,
	case_number VARCHAR(64),
	data TEXT NOT NULL,
	closed_at VARCHAR(40),
	PRIMARY KEY (uuid),
	UNIQUE (rating_uuid)
)""",
    """CREATE TABLE complaints (
	uuid VARCHAR(36) NOT NULL,
	number VARCHAR(32) NOT NULL,
	stage VARCHAR(16) NOT NULL,
	owner_login VARCHAR(64) NOT NULL,
	registered_at VARCHAR(40) NOT NULL,
	stage_due VARCHAR(10),
	about_window VARCHAR(16),
	case_number VARCHAR(64),
	personal TEXT NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (uuid),
	UNIQUE (number)
)""",
    """CREATE INDEX ix_complaints_stage ON complaints (stage)""",
    """ALTER TABLE cases ADD COLUMN rate_token VARCHAR(48)""",
)


def _run(statements: Sequence[str]) -> Callable[[Connection], None]:
    def step(conn: Connection) -> None:
        for statement in statements:
            conn.exec_driver_sql(statement)

    return step


# Schema 8: the statistics' fact tables (the same as the central's step 6,
# hallclient.central.stats_schema): a standalone window's figures are the same SQL over its own data.
STEP_8 = (
    """CREATE TABLE IF NOT EXISTS stats_ticket_facts (
	ticket_id VARCHAR(36) NOT NULL,
	day VARCHAR(10) NOT NULL,
	hour INTEGER NOT NULL,
	number VARCHAR(32) NOT NULL,
	category VARCHAR(32) NOT NULL,
	window_number VARCHAR(16),
	clerk VARCHAR(100),
	type VARCHAR(16) NOT NULL,
	outcome VARCHAR(16),
	transferred INTEGER NOT NULL,
	wait_s INTEGER,
	service_s INTEGER,
	busy_s INTEGER,
	issued_at VARCHAR(40) NOT NULL,
	PRIMARY KEY (ticket_id)
)""",
    """CREATE INDEX IF NOT EXISTS ix_stats_ticket_facts_day ON stats_ticket_facts (day, window_number, clerk, category, hour, outcome, transferred, wait_s, service_s)""",
    """CREATE INDEX IF NOT EXISTS ix_stats_ticket_facts_window ON stats_ticket_facts (window_number, day)""",
    """CREATE TABLE IF NOT EXISTS stats_case_facts (
	case_uuid VARCHAR(36) NOT NULL,
	accepted_on VARCHAR(10) NOT NULL,
	window_number VARCHAR(16) NOT NULL,
	clerk VARCHAR(100) NOT NULL,
	category VARCHAR(32) NOT NULL,
	item_code VARCHAR(64) NOT NULL,
	decision VARCHAR(32) NOT NULL,
	tolerated INTEGER NOT NULL,
	supplement VARCHAR(12),
	completion VARCHAR(12) NOT NULL,
	due_date VARCHAR(10),
	completed_on VARCHAR(10),
	on_site INTEGER NOT NULL,
	approval_minutes INTEGER,
	PRIMARY KEY (case_uuid)
)""",
    """CREATE INDEX IF NOT EXISTS ix_stats_case_facts_day ON stats_case_facts (accepted_on, window_number, clerk, category, item_code, decision, tolerated, supplement, completion, due_date, on_site, approval_minutes)""",
    """CREATE TABLE IF NOT EXISTS stats_window_days (
	day VARCHAR(10) NOT NULL,
	window_number VARCHAR(16) NOT NULL,
	clerk VARCHAR(100),
	open_minutes DOUBLE PRECISION NOT NULL,
	paused_minutes DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (day, window_number)
)""",
    """CREATE TABLE IF NOT EXISTS stats_days (
	kind VARCHAR(16) NOT NULL,
	day VARCHAR(10) NOT NULL,
	filled_at VARCHAR(40) NOT NULL,
	PRIMARY KEY (kind, day)
)""",
)


# -- step 9: what the case's documents print (issue 15): delivery, refusal ground, item deadlines
STEP_9 = (
    """ALTER TABLE cases ADD COLUMN delivery VARCHAR(8)""",
    """ALTER TABLE cases ADD COLUMN delivery_address TEXT""",
    """ALTER TABLE cases ADD COLUMN refusal_ground VARCHAR(16)""",
    """ALTER TABLE cases ADD COLUMN competent_body TEXT""",
    """ALTER TABLE cases ADD COLUMN item_deadlines TEXT""",
)


# -- step 10: the statistics' per-day summary (the same as the central's step 9,
# hallclient.central.stats_summary); a window's refresh fills it from its facts on every read.
STEP_10 = (
    """CREATE TABLE IF NOT EXISTS stats_ticket_days (
	day VARCHAR(10) NOT NULL,
	window_number VARCHAR(16) NOT NULL,
	clerk VARCHAR(100) NOT NULL,
	category VARCHAR(32) NOT NULL,
	hour INTEGER NOT NULL,
	issued INTEGER NOT NULL,
	served INTEGER NOT NULL,
	no_show INTEGER NOT NULL,
	transferred INTEGER NOT NULL,
	wait_n INTEGER NOT NULL,
	wait_sum BIGINT NOT NULL,
	service_n INTEGER NOT NULL,
	service_sum BIGINT NOT NULL,
	PRIMARY KEY (day, window_number, clerk, category, hour)
)""",
    """CREATE TABLE IF NOT EXISTS stats_time_hist (
	kind VARCHAR(8) NOT NULL,
	day VARCHAR(10) NOT NULL,
	window_number VARCHAR(16) NOT NULL,
	clerk VARCHAR(100) NOT NULL,
	category VARCHAR(32) NOT NULL,
	seconds INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (kind, day, window_number, clerk, category, seconds)
)""",
    """CREATE INDEX IF NOT EXISTS ix_stats_time_hist_cover ON stats_time_hist (kind, day, window_number, clerk, category, seconds, n)""",
)


MIGRATIONS: list[Callable[[Connection], None]] = [
    _run(STEP_1), _run(STEP_2), _run(STEP_3), _run(STEP_4), _run(STEP_5), _run(STEP_6), _run(STEP_7),
    _run(STEP_8), _run(STEP_9), _run(STEP_10),
]
