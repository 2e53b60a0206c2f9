"""journal_log(): a chat message's rows written, journaled and audited in one round trip.

Logging by chat is the bot's hot path, and the bot process is bound by the
Python time each SQL statement costs: a message used to take seven to ten
statements (open the journal, read the day's rows, write each row, record the
changes, audit). The function does the same work in the server, in the
caller's transaction and under the caller's row-level security (SECURITY
INVOKER); fitness_core.services.journal prepares its input and reads its
result, and undo stays in Python.

journal_write() is the one writer: insert a row, or update only the fields
that differ from the current row, and report the values before and after in
the form the journal stores (column values as to_jsonb gives them).

Revision ID: 006
Revises: 005
Create Date: 2026-11-25 11:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "006"
down_revision: str | None = "005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOURNAL_WRITE = r"""
CREATE FUNCTION journal_write(p_table text, p_date date, p_current jsonb, p_values jsonb, p_new_row jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
-- p_current: the row to merge p_values into (to_jsonb of it), or NULL to insert p_values with p_new_row
-- (the owner and the day, which the values never override).
DECLARE
    written jsonb;
    typed jsonb;
    changed jsonb;
    held jsonb;
    before jsonb;
    after jsonb;
    cols text;
BEGIN
    IF p_current IS NULL THEN
        SELECT string_agg(quote_ident(k), ', ') INTO cols FROM jsonb_object_keys(p_values || p_new_row) AS k;
        EXECUTE format(
            'INSERT INTO %1$I AS t (%2$s) SELECT %2$s FROM jsonb_populate_record(NULL::%1$I, $1) RETURNING to_jsonb(t)',
            p_table, cols)
            INTO written USING p_values || p_new_row;
        SELECT coalesce(jsonb_object_agg(k, written -> k), '{}') INTO after FROM jsonb_object_keys(p_values) AS k;
        RETURN jsonb_build_object('table', p_table, 'date', p_date, 'id', written -> 'id', 'action', 'insert',
                                  'values', after, 'before', '{}'::jsonb, 'after', after);
    END IF;
    -- The new values as the columns store them (rounded to their scale), to compare with what is held.
    EXECUTE format('SELECT to_jsonb(jsonb_populate_record(NULL::%I, $1))', p_table) INTO typed USING p_values;
    SELECT coalesce(jsonb_object_agg(k, p_current -> k), '{}') INTO held FROM jsonb_object_keys(p_values) AS k;
    SELECT jsonb_object_agg(k, typed -> k) INTO changed
    FROM jsonb_object_keys(p_values) AS k WHERE typed -> k IS DISTINCT FROM p_current -> k;
    IF changed IS NULL THEN
        RETURN jsonb_build_object('table', p_table, 'date', p_date, 'id', p_current -> 'id', 'action', NULL,
                                  'values', held, 'before', '{}'::jsonb, 'after', '{}'::jsonb);
    END IF;
    SELECT string_agg(quote_ident(k), ', ') INTO cols FROM jsonb_object_keys(changed) AS k;
    EXECUTE format(
        'UPDATE %1$I AS t SET (%2$s) = (SELECT %2$s FROM jsonb_populate_record(NULL::%1$I, $1))%3$s '
        'WHERE t.id = $2 RETURNING to_jsonb(t)',
        p_table, cols, CASE WHEN p_current ? 'updated_at' THEN ', updated_at = now()' ELSE '' END)
        INTO written USING changed, (p_current ->> 'id')::bigint;
    SELECT jsonb_object_agg(k, p_current -> k), jsonb_object_agg(k, written -> k) INTO before, after
    FROM jsonb_object_keys(changed) AS k;
    RETURN jsonb_build_object('table', p_table, 'date', p_date, 'id', p_current -> 'id', 'action', 'update',
                              'values', held || after, 'before', before, 'after', after);
END
$fn$
"""

JOURNAL_LOG = r"""
CREATE FUNCTION journal_log(
    p_lock integer, p_user_id integer, p_chat_id bigint, p_message_id bigint, p_text text, p_logged_date date,
    p_days jsonb
) RETURNS jsonb LANGUAGE plpgsql AS $fn$
-- p_days: [{date, metrics?: {column: value}, training?: {workout: {...}, exercises: [{values, cardio}]},
--           meals?: [{column: value}]}], a day's entries already merged by the caller.
-- Returns NULL when this chat message was logged before, else {id, written: [journal_write results + kind]}.
DECLARE
    journal_id bigint;
    day jsonb;
    d date;
    item jsonb;
    cur jsonb;
    written jsonb;
    results jsonb := '[]';
    journal_changes jsonb;
    current_type text;
    chosen_type text;
    has_cardio boolean;
    has_other boolean;
    existing integer;
    last_order integer;
    session_id bigint;
    exercises jsonb;
    next_order integer;
BEGIN
    -- One person's messages never merge into the same day at once, nor interleave with an undo.
    PERFORM pg_advisory_xact_lock(p_lock, p_user_id);
    INSERT INTO logged_messages (user_id, chat_id, message_id, text, logged_date)
    VALUES (p_user_id, p_chat_id, p_message_id, p_text, p_logged_date)
    ON CONFLICT (chat_id, message_id) DO NOTHING
    RETURNING id INTO journal_id;
    IF journal_id IS NULL THEN
        RETURN NULL;  -- a redelivered update: written the first time
    END IF;

    FOR day IN SELECT value FROM jsonb_array_elements(p_days) LOOP
        d := (day ->> 'date')::date;

        IF day ? 'metrics' THEN
            SELECT to_jsonb(m) INTO cur FROM health_metrics m
            WHERE m.user_id = p_user_id AND m.recorded_date = d ORDER BY m.id LIMIT 1 FOR UPDATE;
            written := journal_write('health_metrics', d, cur, day -> 'metrics',
                                     jsonb_build_object('user_id', p_user_id, 'recorded_date', d));
            results := results || jsonb_build_array(written || '{"kind": "metric"}');
        END IF;

        IF day ? 'training' THEN
            SELECT to_jsonb(w) INTO cur FROM workout_sessions w
            WHERE w.user_id = p_user_id AND w.session_date = d ORDER BY w.id LIMIT 1 FOR UPDATE;
            existing := 0;
            last_order := -1;
            IF cur IS NOT NULL THEN
                SELECT count(*), coalesce(max(e.order_index), -1) INTO existing, last_order
                FROM exercise_logs e WHERE e.workout_session_id = (cur ->> 'id')::bigint;
            END IF;
            -- A typed type wins; a type someone chose is kept; otherwise it follows from the exercises:
            -- the session's derived type already says which kinds its earlier exercises are.
            current_type := cur ->> 'session_type';
            chosen_type := day #>> '{training,workout,session_type}';
            IF chosen_type IS NULL AND current_type IS NOT NULL AND current_type NOT IN ('strength', 'cardio', 'mixed') THEN
                chosen_type := current_type;
            END IF;
            -- Each new exercise with its catalogue definition, and cardio by the catalogue's category when it
            -- has one (else the caller's guess from the words of its name).
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'values', e.value -> 'values', 'definition_id', def.id,
                       'cardio', coalesce(def.category::text = 'cardio', (e.value ->> 'cardio')::boolean))
                   ORDER BY e.n), '[]')
            INTO exercises
            FROM jsonb_array_elements(day #> '{training,exercises}') WITH ORDINALITY AS e(value, n)
            LEFT JOIN exercise_definitions def ON def.name = e.value #>> '{values,exercise_name}';
            IF chosen_type IS NULL THEN
                SELECT coalesce(existing > 0 AND current_type IN ('cardio', 'mixed'), false)
                           OR coalesce(bool_or((f.value ->> 'cardio')::boolean), false),
                       coalesce(existing > 0 AND current_type IN ('strength', 'mixed'), false)
                           OR coalesce(bool_or(NOT (f.value ->> 'cardio')::boolean), false)
                INTO has_cardio, has_other
                FROM jsonb_array_elements(exercises) f;
                chosen_type := CASE
                    WHEN has_cardio AND has_other THEN 'mixed'
                    WHEN has_cardio THEN 'cardio'
                    WHEN has_other THEN 'strength'
                    ELSE coalesce(current_type, 'strength') END;
            END IF;
            written := journal_write(
                'workout_sessions', d, cur,
                (day #> '{training,workout}') || jsonb_build_object('session_type', chosen_type),
                jsonb_build_object('user_id', p_user_id, 'session_date', d));
            results := results || jsonb_build_array(written || '{"kind": "workout"}');
            session_id := (written ->> 'id')::bigint;
            next_order := last_order + 1;
            FOR item IN SELECT value FROM jsonb_array_elements(exercises) LOOP
                written := journal_write(
                    'exercise_logs', d, NULL,
                    (item -> 'values') || jsonb_build_object(
                        'workout_session_id', session_id, 'exercise_definition_id', item -> 'definition_id',
                        'order_index', next_order),
                    '{}');
                results := results || jsonb_build_array(written || '{"kind": "exercise"}');
                next_order := next_order + 1;
            END LOOP;
        END IF;

        FOR item IN SELECT value FROM jsonb_array_elements(coalesce(day -> 'meals', '[]')) LOOP
            written := journal_write(
                'meal_logs', d, NULL, item,
                jsonb_build_object('user_id', p_user_id, 'meal_date', d));
            results := results || jsonb_build_array(written || '{"kind": "meal"}');
        END LOOP;
    END LOOP;

    SELECT coalesce(jsonb_agg(jsonb_build_object('table', w -> 'table', 'id', w -> 'id', 'action', w -> 'action',
                                                 'before', w -> 'before', 'after', w -> 'after', 'date', w -> 'date')
                              ORDER BY n), '[]')
    INTO journal_changes
    FROM jsonb_array_elements(results) WITH ORDINALITY AS x(w, n) WHERE w ->> 'action' IS NOT NULL;
    UPDATE logged_messages SET changes = journal_changes WHERE id = journal_id;
    INSERT INTO audit_log (user_id, action, table_name, row_id, details)
    SELECT p_user_id, c ->> 'action', c ->> 'table', c ->> 'id',
           jsonb_build_object('before', c -> 'before', 'after', c -> 'after', 'logged_message_id', journal_id)
    FROM jsonb_array_elements(journal_changes) WITH ORDINALITY AS x(c, n) ORDER BY n;
    INSERT INTO audit_log (user_id, action, table_name, row_id, details)
    VALUES (p_user_id, 'insert', 'logged_messages', journal_id::text,
            jsonb_build_object('after', jsonb_build_object('text', p_text)));
    RETURN jsonb_build_object('id', journal_id, 'written', results);
END
$fn$
"""


def upgrade() -> None:
    op.execute(JOURNAL_WRITE)
    op.execute(JOURNAL_LOG)


def downgrade() -> None:
    op.execute("DROP FUNCTION journal_log(integer, integer, bigint, bigint, text, date, jsonb)")
    op.execute("DROP FUNCTION journal_write(text, date, jsonb, jsonb, jsonb)")
