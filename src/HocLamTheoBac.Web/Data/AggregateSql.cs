using System.Security.Cryptography;
using System.Text;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// The functions and triggers that keep the aggregate tables (Data/Aggregates.cs) exact in the same transaction as
/// every write, whatever the path: EF, raw SQL, COPY, restructuring, restore (docs/adr/0018-incremental-aggregates.md).
/// <para>Writes only note what changed: statement-level triggers with transition tables add the (member, year) pairs
/// and the unit-item deltas of the statement to the transaction's pending rows. A deferred constraint trigger, queued
/// once per transaction, applies them at commit in one set-based pass (<c>agg_flush()</c>), so an import of ten
/// thousand EF statements or one COPY costs one recomputation, and aggregate rows are locked only during the commit.
/// A reader inside the writing transaction (the roll-up) flushes first (<c>agg_flush_mine()</c>).</para>
/// <para>The SQL is generated here from the counting rules' home (<see cref="PledgeSets"/>, <see cref="Membership"/>):
/// its <see cref="Fingerprint"/> is stored in the database, and <see cref="EnsureCurrentAsync"/> (run after every
/// migration) reinstalls the functions and rebuilds the aggregates when the rules changed since they were installed.</para>
/// </summary>
public static class AggregateSql
{
    /// <summary>(table, item, first key, second key, has deleted_at) of the records counted per unit and year.</summary>
    private static readonly (string Table, int Item, string K1, string K2, bool Soft)[] Items =
    [
        ("collective_pledges", 1, "status", "category", true),
        ("models", 2, "kind", "status", true),
        ("model_replications", 3, "0", "0", true),
        ("commendations", 4, "level", "0", true),
        ("study_sessions", 5, "0", "0", true),
        ("pressing_problems", 6, "outcome", "0", true),
        ("leader_tasks", 7, "status", "0", true),
        ("plan_years", 8, "0", "0", false),
    ];

    /// <summary>Item numbers of <see cref="AggUnitItem.Item"/>, for the roll-up.</summary>
    public static class Item
    {
        public const int Collective = 1, Models = 2, Replications = 3, Commendations = 4, StudySessions = 5, Problems = 6, LeaderTasks = 7, Plans = 8;

        /// <summary>Members expected at the unit's live study sessions of the year, by mark: k1 = attendance status, 0 = no mark (kept from <c>agg_session_rows</c>).</summary>
        public const int Attendance = 9;
    }

    /// <summary>
    /// How a row of <see cref="AggUnitItem"/> (item, k1, k2, n) counts in the roll-up: its n is added to the roll-up's
    /// figure <paramref name="Column"/> (the index of <c>Reports.Rollup</c>'s figures) when the row is of
    /// <paramref name="Item"/> and its k1 equals <paramref name="K1"/>, differs from <paramref name="NotK1"/>, and its k2
    /// equals <paramref name="K2"/> (each when given). <paramref name="Successor"/>: the rule also counts for the first
    /// successor of a unit gone by the as-of day (study sessions and their attendance).
    /// </summary>
    public sealed record ItemRule(int Column, int Item, int? K1 = null, int? K2 = null, int? NotK1 = null, bool Successor = false)
    {
        public bool Matches(int item, int k1, int k2) =>
            item == Item && (K1 is not { } a || k1 == a) && (NotK1 is not { } b || k1 != b) && (K2 is not { } c || k2 == c);

        /// <summary>The same test in SQL, on the columns of <paramref name="alias"/> (generated from the enums' values).</summary>
        public string Sql(string alias) => string.Join(" AND ", new[]
        {
            $"{alias}.item = {Item}",
            K1 is { } a ? $"{alias}.k1 = {a}" : null,
            NotK1 is { } b ? $"{alias}.k1 <> {b}" : null,
            K2 is { } c ? $"{alias}.k2 = {c}" : null,
        }.Where(x => x is not null));
    }

    /// <summary>
    /// The counting rules of the unit records (their one home: the roll-up adds a successor's rows by them, and the SQL of
    /// <c>agg_unit_totals</c> is generated from them). Columns: 5/6 collective pledges registered/done, 7/8/9 models
    /// collective/exemplar/recognised, 12 replications, 13/14/15 praises/certificates/merits, 16 study sessions, 17/18
    /// attendance present/recorded (AttendanceRules: recorded = expected − excused), 19/20 problems registered/resolved
    /// (pressing problems registered as collective pledges count with them), 21/22 leaders' tasks/done, 23 plans.
    /// </summary>
    public static readonly ItemRule[] ItemRules =
    [
        new(5, Item.Collective),
        new(6, Item.Collective, K1: (int)CollectiveStatus.Done),
        new(19, Item.Collective, K2: (int)CollectiveCategory.PressingProblem),
        new(20, Item.Collective, K1: (int)CollectiveStatus.Done, K2: (int)CollectiveCategory.PressingProblem),
        new(7, Item.Models, K1: (int)ExemplaryModelKind.Collective),
        new(8, Item.Models, K1: (int)ExemplaryModelKind.Exemplar),
        new(9, Item.Models, K2: (int)ExemplaryModelStatus.Recognised),
        new(12, Item.Replications),
        new(13, Item.Commendations, K1: (int)CommendationLevel.Praise),
        new(14, Item.Commendations, K1: (int)CommendationLevel.Certificate),
        new(15, Item.Commendations, K1: (int)CommendationLevel.Merit),
        new(16, Item.StudySessions, Successor: true),
        new(17, Item.Attendance, K1: (int)AttendanceStatus.Present, Successor: true),
        new(18, Item.Attendance, NotK1: (int)AttendanceStatus.Excused, Successor: true),
        new(19, Item.Problems),
        new(20, Item.Problems, K1: (int)ProblemOutcome.Resolved),
        new(21, Item.LeaderTasks),
        new(22, Item.LeaderTasks, K1: (int)LeaderTaskStatus.Done),
        new(23, Item.Plans),
    ];

    /// <summary>The roll-up's figure of each slot of <see cref="AggUnitTotal.N"/> after slot 0 (every record).</summary>
    public static readonly int[] TotalSlots = ItemRules.Select(r => r.Column).Distinct().Order().ToArray();

    /// <summary>
    /// <c>agg_unit_totals.n</c> of the item rows <paramref name="alias"/> of a group: every record, then each slot of
    /// <see cref="TotalSlots"/> by <see cref="ItemRules"/> (a row matching two rules of one figure counts twice, as in C#).
    /// </summary>
    private static string TotalsOf(string alias) => "ARRAY[coalesce(sum(" + alias + ".n), 0)::int" + string.Concat(TotalSlots.Select(c =>
        ", coalesce(sum(" + alias + ".n * (" + string.Join(" + ", ItemRules.Where(r => r.Column == c).Select(r => $"({r.Sql(alias)})::int")) + ")), 0)::int"))
        + "]";

    /// <summary>Statuses whose deadline is kept (the others can never be overdue): <see cref="PledgeSets.CanBeOverdue"/>.</summary>
    private static string OverdueArray => "'{" + string.Join(",", PledgeSets.Sql(PledgeSets.CanBeOverdue)) + "}'::int[]";

    /// <summary>SQL: the placement <paramref name="alias"/> covers <paramref name="day"/> (the unit stood there that day; the
    /// period rule of <see cref="Membership.Covers"/>, for the tree of a day: <see cref="OrgTree.PlacementsOn"/>).</summary>
    private static string PlacedOn(string alias, string day) => $"{alias}.valid_from <= {day} AND ({alias}.valid_to IS NULL OR {alias}.valid_to > {day})";

    /// <summary>SQL: the unit ids of an ltree path (the unit and every unit above it).</summary>
    private static string PathIds(string path) => $"string_to_array(ltree2text({path}), '.')::int[]";

    /// <summary>SQL joined to a branch period <paramref name="c"/> (branch_id, valid_from, valid_to): the live sessions held on
    /// one of its days by a unit the branch stood under that day (s).</summary>
    private static string SessionsOfPeriod(string c) => $"""
        JOIN org_placements b ON b.org_unit_id = {c}.branch_id
        JOIN study_sessions s ON s.org_unit_id = ANY({PathIds("b.path")}) AND s.deleted_at IS NULL
            AND {PlacedOn("b", "s.held_on")} AND s.held_on >= {c}.valid_from AND ({c}.valid_to IS NULL OR s.held_on < {c}.valid_to)
        """;

    /// <summary>
    /// <c>agg_refresh(ms, ys)</c>: brings the contribution of each (member, year) given up to date inside the caller's
    /// transaction, and the unit rows by the difference. A few members (a page's write, an import of a branch): their kept
    /// rows are compared with the contribution counted again, and only the rows that differ are written (a status change:
    /// two or three member rows and two unit rows, where the member's whole contribution was deleted and inserted again
    /// and every zero row of the branch's year looked for). A bulk write (more than 500 members: a new year, a rebuild, a
    /// large import) deletes and inserts the contributions in two set-based statements, as a join with the kept rows
    /// would cost more there. Either way the unit rows get the sums of the differences (an upsert in key order), and a
    /// unit row brought to 0 by it is deleted by its key.
    /// </summary>
    private static string RefreshFunction => $$"""
        -- Brings the contribution of each (member, year) given up to date, inside the caller's transaction. Writers of the
        -- same member are serialised (an advisory lock per member, or a table lock for a bulk write), and every statement
        -- after the lock reads a fresh snapshot, so a concurrent writer's committed rows are always seen.
        CREATE FUNCTION agg_refresh(ms int[], ys int[]) RETURNS void LANGUAGE plpgsql AS $f$
        DECLARE
            gone agg_member_rows[];
            fresh agg_member_rows[];
            delta agg_member_rows[];
            zero_figures agg_unit_figures[];
            zero_yearend agg_unit_yearend[];
        BEGIN
            IF ms IS NULL OR cardinality(ms) = 0 THEN RETURN; END IF;
            IF cardinality(ms) > 500 THEN
                LOCK TABLE agg_member_rows IN SHARE ROW EXCLUSIVE MODE;
                WITH g AS (
                    DELETE FROM agg_member_rows r USING (SELECT DISTINCT x.m, x.y FROM unnest(ms, ys) AS x(m, y)) s
                    WHERE r.member_id = s.m AND r.year = s.y
                    RETURNING r.*
                )
                SELECT array_agg(ROW(g.*)::agg_member_rows) INTO gone FROM g;
                WITH f AS (
                    INSERT INTO agg_member_rows (member_id, year, unit_id, from_day, to_day, kind, key, day, n)
                    SELECT * FROM agg_contribution(ms, ys)
                    RETURNING *
                )
                SELECT array_agg(ROW(f.*)::agg_member_rows) INTO fresh FROM f;
                {{ApplyToUnits("""
                    SELECT x.year, x.unit_id, x.from_day, x.to_day, x.kind, x.key, x.day, -x.n AS n FROM unnest(gone) x
                    UNION ALL
                    SELECT x.year, x.unit_id, x.from_day, x.to_day, x.kind, x.key, x.day, x.n FROM unnest(fresh) x
                    """)}}
                RETURN;
            END IF;
            LOCK TABLE agg_member_rows IN ROW EXCLUSIVE MODE;
            PERFORM pg_advisory_xact_lock(1601, x.m) FROM (SELECT DISTINCT u.m FROM unnest(ms) AS u(m) ORDER BY 1) x;
            -- The kept rows against the contribution counted again: only the rows that differ are written (deleted, inserted
            -- or set to the new count: different rows, so one statement), and their differences go to the unit rows.
            WITH k AS (
                SELECT r.* FROM agg_member_rows r JOIN (SELECT DISTINCT x.m, x.y FROM unnest(ms, ys) AS x(m, y)) s
                    ON r.member_id = s.m AND r.year = s.y
            ), d AS (
                SELECT member_id, year, unit_id, from_day, to_day, kind, key, day, f.n AS now, coalesce(f.n, 0) - coalesce(k.n, 0) AS n
                FROM agg_contribution(ms, ys) f FULL JOIN k USING (member_id, year, unit_id, from_day, to_day, kind, key, day)
                WHERE f.n IS DISTINCT FROM k.n
            ), gone_rows AS (
                DELETE FROM agg_member_rows r USING d
                WHERE d.now IS NULL AND r.member_id = d.member_id AND r.year = d.year AND r.unit_id = d.unit_id AND r.from_day = d.from_day
                    AND r.to_day = d.to_day AND r.kind = d.kind AND r.key = d.key AND r.day = d.day
            ), set_rows AS (
                INSERT INTO agg_member_rows (member_id, year, unit_id, from_day, to_day, kind, key, day, n)
                SELECT d.member_id, d.year, d.unit_id, d.from_day, d.to_day, d.kind, d.key, d.day, d.now FROM d WHERE d.now IS NOT NULL
                ON CONFLICT (member_id, year, unit_id, from_day, to_day, kind, key, day) DO UPDATE SET n = excluded.n
            )
            SELECT array_agg(ROW(d.member_id, d.year, d.unit_id, d.from_day, d.to_day, d.kind, d.key, d.day, d.n)::agg_member_rows) INTO delta FROM d;
            IF delta IS NULL THEN RETURN; END IF;
            {{ApplyToUnits("SELECT x.year, x.unit_id, x.from_day, x.to_day, x.kind, x.key, x.day, x.n FROM unnest(delta) x")}}
        END $f$;
        """;

    /// <summary>
    /// The statements of <c>agg_refresh</c> that add the differences <paramref name="d"/> (year, unit_id, from_day, to_day,
    /// kind, key, day, n) to <c>agg_unit_figures</c> and, for the windows holding 31/12, to <c>agg_unit_yearend</c>: one
    /// upsert each, rows in key order and only those whose count changes (two transactions changing members of the same
    /// branch lock its rows in the same order: no deadlock, and only where they must); the rows it brought to 0 are then
    /// deleted by their keys (they stay locked by this transaction until its commit).
    /// </summary>
    private static string ApplyToUnits(string d) => $"""
        WITH up AS (
            INSERT INTO agg_unit_figures (year, unit_id, from_day, to_day, kind, key, day, n)
            SELECT d.year, d.unit_id, d.from_day, d.to_day, d.kind, d.key, d.day, sum(d.n) FROM ({d}) d
            GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
            ON CONFLICT (year, unit_id, from_day, to_day, kind, key, day) DO UPDATE SET n = agg_unit_figures.n + excluded.n
            RETURNING *
        )
        SELECT array_agg(ROW(up.*)::agg_unit_figures) INTO zero_figures FROM up WHERE up.n = 0;
        IF zero_figures IS NOT NULL THEN
            DELETE FROM agg_unit_figures f USING unnest(zero_figures) z
            WHERE f.year = z.year AND f.unit_id = z.unit_id AND f.from_day = z.from_day AND f.to_day = z.to_day
                AND f.kind = z.kind AND f.key = z.key AND f.day = z.day AND f.n = 0;
        END IF;
        -- The same change as it stands on 31/12 (the windows that hold that day, summed): what the roll-up of a past year
        -- reads, one row per branch, kind, key and deadline instead of one per as-of window.
        WITH up AS (
            INSERT INTO agg_unit_yearend (year, unit_id, kind, key, day, n)
            SELECT d.year, d.unit_id, d.kind, d.key, d.day, sum(d.n) FROM ({d}) d
            WHERE {HoldsYearEnd("d")}
            GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (year, unit_id, kind, key, day) DO UPDATE SET n = agg_unit_yearend.n + excluded.n
            RETURNING *
        )
        SELECT array_agg(ROW(up.*)::agg_unit_yearend) INTO zero_yearend FROM up WHERE up.n = 0;
        IF zero_yearend IS NOT NULL THEN
            DELETE FROM agg_unit_yearend f USING unnest(zero_yearend) z
            WHERE f.year = z.year AND f.unit_id = z.unit_id AND f.kind = z.kind AND f.key = z.key AND f.day = z.day AND f.n = 0;
        END IF;
        """;

    /// <summary>SQL: the as-of window of the row <paramref name="alias"/> (year, from_day, to_day) holds 31/12 of its year (the rows
    /// <c>agg_unit_yearend</c> sums).</summary>
    private static string HoldsYearEnd(string alias) =>
        $"{alias}.from_day <= make_date({alias}.year, 12, 31) AND {alias}.to_day > make_date({alias}.year, 12, 31)";

    /// <summary>SQL: the (member, year) pairs counted in the years of the int[] <paramref name="years"/> (columns m, y): every
    /// member who stands in a branch during one of them, or has a pledge of it.</summary>
    private static string MembersOfYears(string years) => $"""
        SELECT mp.member_id AS m, a.y FROM unnest({years}) AS a(y)
            JOIN member_branch_periods mp ON mp.valid_from < make_date(a.y + 1, 1, 1) AND (mp.valid_to IS NULL OR mp.valid_to > make_date(a.y, 1, 1))
            UNION
            SELECT p.member_id, p.year FROM pledges p WHERE p.year = ANY({years})
        """;

    private static string Functions => $$"""
        -- One member's contribution for each (member, year) given: a row per branch period overlapping the year (kind 1,
        -- key = bit set of the statuses of the member's pledges of the year), the member's pledges counted in that period's
        -- branch (kind 2), and, for the days of the year the member stands nowhere, the pledges counted where they are kept
        -- (Membership.CountedIn). from_day/to_day: the as-of days d with from_day <= d < to_day. day: the deadline of a
        -- pledge that can be overdue (PledgeSets.CanBeOverdue) and whose deadline falls before 31/12, else +infinity.
        CREATE FUNCTION agg_contribution(ms int[], ys int[])
        RETURNS TABLE (member_id int, year int, unit_id int, from_day date, to_day date, kind smallint, key int, day date, n int)
        LANGUAGE sql STABLE AS $f$
        WITH s AS (
            SELECT DISTINCT x.m, x.y, make_date(x.y, 1, 1) AS y0, make_date(x.y + 1, 1, 1) AS y1 FROM unnest(ms, ys) AS x(m, y)
        ), per AS (
            SELECT s.m, s.y, s.y0, s.y1, mp.branch_id, greatest(mp.valid_from, s.y0) AS a, least(coalesce(mp.valid_to, s.y1), s.y1) AS b
            FROM s JOIN member_branch_periods mp ON mp.member_id = s.m
            WHERE greatest(mp.valid_from, s.y0) < least(coalesce(mp.valid_to, s.y1), s.y1)
        ), pl AS (
            SELECT s.m, s.y, p.branch_id, p.status AS st,
                CASE WHEN p.deadline IS NULL OR p.deadline >= make_date(s.y, 12, 31) OR NOT (p.status = ANY({{OverdueArray}}))
                     THEN 'infinity'::date ELSE p.deadline END AS dl,
                count(*)::int AS c
            FROM s JOIN pledges p ON p.member_id = s.m AND p.year = s.y
            WHERE p.deleted_at IS NULL
            GROUP BY 1, 2, 3, 4, 5
        ), sig AS (
            SELECT pl.m, pl.y, bit_or(1 << pl.st) AS bits FROM pl GROUP BY pl.m, pl.y
        ), ordered AS (
            SELECT per.*, max(per.b) OVER (PARTITION BY per.m, per.y ORDER BY per.a, per.b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
            FROM per
        ), gaps AS (
            SELECT o.m, o.y, o.y0, o.y1, coalesce(o.prev_end, o.y0) AS a, o.a AS b FROM ordered o WHERE coalesce(o.prev_end, o.y0) < o.a
            UNION ALL
            SELECT per.m, per.y, per.y0, per.y1, max(per.b), per.y1 FROM per GROUP BY per.m, per.y, per.y0, per.y1 HAVING max(per.b) < per.y1
            UNION ALL
            SELECT s.m, s.y, s.y0, s.y1, s.y0, s.y1 FROM s WHERE NOT EXISTS (SELECT 1 FROM per WHERE per.m = s.m AND per.y = s.y)
        ), rows AS (
            SELECT per.m, per.y, per.branch_id AS u, per.a, per.b, per.y0, per.y1, 1::smallint AS k, coalesce(sig.bits, 0) AS key, 'infinity'::date AS dl, 1 AS c
            FROM per LEFT JOIN sig ON sig.m = per.m AND sig.y = per.y
            UNION ALL
            SELECT per.m, per.y, per.branch_id, per.a, per.b, per.y0, per.y1, 2::smallint, pl.st, pl.dl, pl.c
            FROM per JOIN pl ON pl.m = per.m AND pl.y = per.y
            UNION ALL
            SELECT g.m, g.y, pl.branch_id, g.a, g.b, g.y0, g.y1, 2::smallint, pl.st, pl.dl, pl.c
            FROM gaps g JOIN pl ON pl.m = g.m AND pl.y = g.y
        )
        SELECT r.m, r.y, r.u,
            CASE WHEN r.a <= r.y0 THEN '-infinity'::date ELSE r.a END,
            CASE WHEN r.b >= r.y1 THEN 'infinity'::date ELSE r.b END,
            r.k, r.key, r.dl, sum(r.c)::int
        FROM rows r
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        $f$;

        -- AttendanceRules, for the (session, branch) pairs given (branch 0 = every branch of the session): the members
        -- expected at a live session who stand in that branch on the session day (a branch period covering it), the
        -- branch standing under the holder on that day (their placements covering it: the tree of the session day, so a
        -- later restructuring leaves the session's figures as they were), counted by their mark (the attendance status;
        -- 0 = no mark). Which marks count as present or recorded stays with the roll-up's parameters.
        CREATE FUNCTION agg_attendance(ss int[], bs int[])
        RETURNS TABLE (session_id int, branch_id int, mark int, unit_id int, year int, n int)
        LANGUAGE sql STABLE AS $f$
        WITH p AS (
            SELECT DISTINCT x.s, x.b FROM unnest(ss, bs) AS x(s, b)
        ), pairs AS (
            SELECT s.id AS sid, s.org_unit_id AS u, s.year AS y, s.held_on AS d, b.org_unit_id AS bid
            FROM p JOIN study_sessions s ON s.id = p.s AND s.deleted_at IS NULL
            JOIN org_placements h ON h.org_unit_id = s.org_unit_id AND {{PlacedOn("h", "s.held_on")}}
            JOIN org_placements b ON b.path <@ h.path AND {{PlacedOn("b", "s.held_on")}}
            WHERE p.b = 0
            UNION
            SELECT s.id, s.org_unit_id, s.year, s.held_on, b.org_unit_id
            FROM p JOIN study_sessions s ON s.id = p.s AND s.deleted_at IS NULL
            JOIN org_placements h ON h.org_unit_id = s.org_unit_id AND {{PlacedOn("h", "s.held_on")}}
            JOIN org_placements b ON b.org_unit_id = p.b AND b.path <@ h.path AND {{PlacedOn("b", "s.held_on")}}
            WHERE p.b <> 0
        )
        SELECT pr.sid, pr.bid, coalesce(a.status, 0)::int, pr.u, pr.y, count(*)::int
        FROM pairs pr
        JOIN member_branch_periods mp ON mp.branch_id = pr.bid AND mp.valid_from <= pr.d AND (mp.valid_to IS NULL OR mp.valid_to > pr.d)
        LEFT JOIN attendances a ON a.session_id = pr.sid AND a.member_id = mp.member_id
        GROUP BY 1, 2, 3, 4, 5
        $f$;

        -- Recounts the (session, branch) pairs given inside the caller's transaction and notes the change of each unit's
        -- attendance (item 9) with the transaction's other item changes. Writers of the same session are serialised
        -- (an advisory lock per session, or a table lock for a bulk write), as agg_refresh does for members.
        CREATE FUNCTION agg_refresh_sessions(ss int[], bs int[]) RETURNS void LANGUAGE plpgsql AS $f$
        DECLARE
            gone agg_session_rows[];
            fresh agg_session_rows[];
        BEGIN
            IF ss IS NULL OR cardinality(ss) = 0 THEN RETURN; END IF;
            IF cardinality(ss) > 500 THEN
                LOCK TABLE agg_session_rows IN SHARE ROW EXCLUSIVE MODE;
            ELSE
                LOCK TABLE agg_session_rows IN ROW EXCLUSIVE MODE;
                PERFORM pg_advisory_xact_lock(1602, x.s) FROM (SELECT DISTINCT u.s FROM unnest(ss) AS u(s) ORDER BY 1) x;
            END IF;
            WITH g AS (
                DELETE FROM agg_session_rows r USING (SELECT DISTINCT x.s, x.b FROM unnest(ss, bs) AS x(s, b)) p
                WHERE r.session_id = p.s AND (p.b = 0 OR r.branch_id = p.b)
                RETURNING r.*
            )
            SELECT array_agg(ROW(g.*)::agg_session_rows) INTO gone FROM g;
            WITH f AS (
                INSERT INTO agg_session_rows (session_id, branch_id, mark, unit_id, year, n)
                SELECT * FROM agg_attendance(ss, bs)
                RETURNING *
            )
            SELECT array_agg(ROW(f.*)::agg_session_rows) INTO fresh FROM f;
            INSERT INTO agg_pending_items (xid, year, unit_id, item, k1, k2, n)
            SELECT txid_current(), d.year, d.unit_id, {{Item.Attendance}}, d.mark, 0, sum(d.n) FROM (
                SELECT x.year, x.unit_id, x.mark, -x.n AS n FROM unnest(gone) x
                UNION ALL
                SELECT x.year, x.unit_id, x.mark, x.n FROM unnest(fresh) x) d
            GROUP BY 2, 3, 5 HAVING sum(d.n) <> 0
            ON CONFLICT (xid, year, unit_id, item, k1, k2) DO UPDATE SET n = agg_pending_items.n + excluded.n;
        END $f$;

        {{RefreshFunction}}

        -- Starts keeping the years given: every member who stands in a branch during them, or has a pledge of them.
        CREATE FUNCTION agg_add_years(ys int[]) RETURNS void LANGUAGE plpgsql AS $f$
        DECLARE
            added int[];
            ms int[];
            yy int[];
        BEGIN
            WITH ins AS (INSERT INTO agg_years (year) SELECT DISTINCT y FROM unnest(ys) AS y WHERE y IS NOT NULL ON CONFLICT DO NOTHING RETURNING year)
            SELECT array_agg(year) INTO added FROM ins;
            IF added IS NULL THEN RETURN; END IF;
            SELECT array_agg(t.m), array_agg(t.y) INTO ms, yy FROM (
                {{MembersOfYears("added")}}) t;
            PERFORM agg_refresh(ms, yy);
        END $f$;

        -- Applies the changes the current transaction noted (called at commit by the deferred trigger, or by a reader
        -- inside the writing transaction). Sessions, unit items, then members: every transaction takes the rows in one order.
        CREATE FUNCTION agg_flush() RETURNS void LANGUAGE plpgsql AS $f$
        DECLARE
            x bigint := txid_current_if_assigned();
            ms int[];
            ys int[];
            ss int[];
            bs int[];
            newyears int[];
            items agg_pending_items[];
        BEGIN
            IF x IS NULL THEN RETURN; END IF;
            DELETE FROM agg_flush_queue q WHERE q.xid = x;
            -- Sessions first (their change of attendance joins the unit items), then unit items, then members.
            WITH d AS (DELETE FROM agg_pending_sessions p WHERE p.xid = x RETURNING p.session_id, p.branch_id)
            SELECT array_agg(d.session_id), array_agg(d.branch_id) INTO ss, bs FROM d;
            PERFORM agg_refresh_sessions(ss, bs);
            WITH d AS (DELETE FROM agg_pending_items p WHERE p.xid = x RETURNING p.*)
            SELECT array_agg(ROW(d.*)::agg_pending_items) INTO items FROM d;
            IF items IS NOT NULL THEN
                INSERT INTO agg_unit_items (year, unit_id, item, k1, k2, n)
                SELECT d.year, d.unit_id, d.item, d.k1, d.k2, sum(d.n) FROM unnest(items) d
                GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5
                ON CONFLICT (year, unit_id, item, k1, k2) DO UPDATE SET n = agg_unit_items.n + excluded.n;
                -- The same change per unit, as the roll-up counts it (ItemRules): added slot by slot.
                INSERT INTO agg_unit_totals (year, unit_id, n)
                SELECT d.year, d.unit_id, {{TotalsOf("d")}} FROM unnest(items) d
                GROUP BY 1, 2 ORDER BY 1, 2
                ON CONFLICT (year, unit_id) DO UPDATE
                SET n = ARRAY(SELECT t.a + t.b FROM unnest(agg_unit_totals.n, excluded.n) WITH ORDINALITY AS t(a, b, i) ORDER BY t.i);
            END IF;
            WITH d AS (DELETE FROM agg_pending_members p WHERE p.xid = x RETURNING p.member_id, p.year)
            SELECT array_agg(d.member_id), array_agg(d.year) INTO ms, ys FROM d;
            IF ms IS NULL THEN RETURN; END IF;
            SELECT array_agg(DISTINCT t.y) INTO newyears FROM unnest(ys) AS t(y) WHERE NOT EXISTS (SELECT 1 FROM agg_years a WHERE a.year = t.y);
            IF newyears IS NOT NULL THEN
                PERFORM agg_add_years(newyears); -- counts every member of those years, these included
                SELECT array_agg(t.m), array_agg(t.y) INTO ms, ys FROM unnest(ms, ys) AS t(m, y) WHERE NOT (t.y = ANY(newyears));
            END IF;
            PERFORM agg_refresh(ms, ys);
        END $f$;

        CREATE FUNCTION agg_flush_at_commit() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            PERFORM agg_flush();
            RETURN NULL;
        END $f$;

        -- Queues the commit-time flush once per transaction.
        CREATE FUNCTION agg_queue_flush() RETURNS void LANGUAGE sql AS $f$
            INSERT INTO agg_flush_queue (xid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
        $f$;

        CREATE FUNCTION agg_pledges_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO agg_pending_members (xid, member_id, year)
                SELECT DISTINCT txid_current(), n.member_id, n.year FROM new_rows n ON CONFLICT DO NOTHING;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO agg_pending_members (xid, member_id, year)
                SELECT DISTINCT txid_current(), o.member_id, o.year FROM old_rows o ON CONFLICT DO NOTHING;
            ELSE
                INSERT INTO agg_pending_members (xid, member_id, year)
                SELECT DISTINCT txid_current(), t.m, t.y FROM old_rows o JOIN new_rows n ON n.id = o.id
                CROSS JOIN LATERAL (VALUES (o.member_id, o.year), (n.member_id, n.year)) AS t(m, y)
                WHERE (o.member_id, o.year, o.branch_id, o.status, o.deadline, o.deleted_at IS NULL)
                      IS DISTINCT FROM (n.member_id, n.year, n.branch_id, n.status, n.deadline, n.deleted_at IS NULL)
                ON CONFLICT DO NOTHING;
                IF NOT FOUND THEN RETURN NULL; END IF;
            END IF;
            PERFORM agg_queue_flush();
            RETURN NULL;
        END $f$;

        -- A changed branch period changes the member's contribution to every kept year the old or new period overlaps.
        CREATE FUNCTION agg_periods_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO agg_pending_members (xid, member_id, year)
                SELECT DISTINCT txid_current(), n.member_id, a.year FROM new_rows n JOIN agg_years a
                    ON n.valid_from < make_date(a.year + 1, 1, 1) AND (n.valid_to IS NULL OR n.valid_to > make_date(a.year, 1, 1))
                ON CONFLICT DO NOTHING;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO agg_pending_members (xid, member_id, year)
                SELECT DISTINCT txid_current(), o.member_id, a.year FROM old_rows o JOIN agg_years a
                    ON o.valid_from < make_date(a.year + 1, 1, 1) AND (o.valid_to IS NULL OR o.valid_to > make_date(a.year, 1, 1))
                ON CONFLICT DO NOTHING;
            ELSE
                INSERT INTO agg_pending_members (xid, member_id, year)
                SELECT DISTINCT txid_current(), p.member_id, a.year FROM (
                    SELECT o.member_id, o.valid_from, o.valid_to FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE (o.member_id, o.branch_id, o.valid_from, o.valid_to) IS DISTINCT FROM (n.member_id, n.branch_id, n.valid_from, n.valid_to)
                    UNION ALL
                    SELECT n.member_id, n.valid_from, n.valid_to FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE (o.member_id, o.branch_id, o.valid_from, o.valid_to) IS DISTINCT FROM (n.member_id, n.branch_id, n.valid_from, n.valid_to)) p
                JOIN agg_years a ON p.valid_from < make_date(a.year + 1, 1, 1) AND (p.valid_to IS NULL OR p.valid_to > make_date(a.year, 1, 1))
                ON CONFLICT DO NOTHING;
                IF NOT FOUND THEN RETURN NULL; END IF;
            END IF;
            IF FOUND THEN PERFORM agg_queue_flush(); END IF;
            RETURN NULL;
        END $f$;
        -- Attendance (agg_attendance) changes with the session itself: its unit, year, day or deletion.
        CREATE FUNCTION agg_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), n.id, 0 FROM new_rows n WHERE n.deleted_at IS NULL ON CONFLICT DO NOTHING;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), o.id, 0 FROM old_rows o WHERE o.deleted_at IS NULL ON CONFLICT DO NOTHING;
            ELSE
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), t.id, 0 FROM old_rows o JOIN new_rows n ON n.id = o.id
                CROSS JOIN LATERAL (VALUES (o.id), (n.id)) AS t(id)
                WHERE (o.org_unit_id, o.year, o.held_on, o.deleted_at IS NULL) IS DISTINCT FROM (n.org_unit_id, n.year, n.held_on, n.deleted_at IS NULL)
                ON CONFLICT DO NOTHING;
            END IF;
            IF FOUND THEN PERFORM agg_queue_flush(); END IF;
            RETURN NULL;
        END $f$;

        -- A changed mark: the session's pairs with every branch the member stands in on the session day.
        CREATE FUNCTION agg_attendances_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), s.id, mp.branch_id FROM new_rows c
                JOIN study_sessions s ON s.id = c.session_id
                JOIN member_branch_periods mp ON mp.member_id = c.member_id AND mp.valid_from <= s.held_on AND (mp.valid_to IS NULL OR mp.valid_to > s.held_on)
                ON CONFLICT DO NOTHING;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), s.id, mp.branch_id FROM old_rows c
                JOIN study_sessions s ON s.id = c.session_id
                JOIN member_branch_periods mp ON mp.member_id = c.member_id AND mp.valid_from <= s.held_on AND (mp.valid_to IS NULL OR mp.valid_to > s.held_on)
                ON CONFLICT DO NOTHING;
            ELSE
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), s.id, mp.branch_id FROM (
                    (SELECT o.session_id, o.member_id, o.status FROM old_rows o EXCEPT SELECT n.session_id, n.member_id, n.status FROM new_rows n)
                    UNION
                    (SELECT n.session_id, n.member_id, n.status FROM new_rows n EXCEPT SELECT o.session_id, o.member_id, o.status FROM old_rows o)) c
                JOIN study_sessions s ON s.id = c.session_id
                JOIN member_branch_periods mp ON mp.member_id = c.member_id AND mp.valid_from <= s.held_on AND (mp.valid_to IS NULL OR mp.valid_to > s.held_on)
                ON CONFLICT DO NOTHING;
            END IF;
            IF FOUND THEN PERFORM agg_queue_flush(); END IF;
            RETURN NULL;
        END $f$;

        -- A changed branch period: the pairs of its branch with the sessions held on one of its days by a unit the branch
        -- stood under on that day (its placement covering the day).
        CREATE FUNCTION agg_periods_attendance_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), s.id, c.branch_id FROM new_rows c
                {{SessionsOfPeriod("c")}}
                ON CONFLICT DO NOTHING;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), s.id, c.branch_id FROM old_rows c
                {{SessionsOfPeriod("c")}}
                ON CONFLICT DO NOTHING;
            ELSE
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), s.id, c.branch_id FROM (
                    SELECT o.branch_id, o.valid_from, o.valid_to FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE (o.member_id, o.branch_id, o.valid_from, o.valid_to) IS DISTINCT FROM (n.member_id, n.branch_id, n.valid_from, n.valid_to)
                    UNION
                    SELECT n.branch_id, n.valid_from, n.valid_to FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE (o.member_id, o.branch_id, o.valid_from, o.valid_to) IS DISTINCT FROM (n.member_id, n.branch_id, n.valid_from, n.valid_to)) c
                {{SessionsOfPeriod("c")}}
                ON CONFLICT DO NOTHING;
            END IF;
            IF FOUND THEN PERFORM agg_queue_flush(); END IF;
            RETURN NULL;
        END $f$;

        -- A changed placement (a unit moved, closed, or placed from another day): the unit's pairs with the sessions held,
        -- on the days whose tree changed for it, by a unit of its path on either side. An update that only shortens or
        -- lengthens a placement touches the days between the old and the new end; a new path, every day of both.
        -- Only units that have (or had) members matter: the others have no expected members to count.
        CREATE FUNCTION agg_placements_attendance_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), s.id, c.org_unit_id FROM new_rows c
                JOIN study_sessions s ON s.org_unit_id = ANY({{PathIds("c.path")}}) AND s.deleted_at IS NULL AND {{PlacedOn("c", "s.held_on")}}
                WHERE EXISTS (SELECT 1 FROM member_branch_periods mp WHERE mp.branch_id = c.org_unit_id)
                ON CONFLICT DO NOTHING;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), s.id, c.org_unit_id FROM old_rows c
                JOIN study_sessions s ON s.org_unit_id = ANY({{PathIds("c.path")}}) AND s.deleted_at IS NULL AND {{PlacedOn("c", "s.held_on")}}
                WHERE EXISTS (SELECT 1 FROM member_branch_periods mp WHERE mp.branch_id = c.org_unit_id)
                ON CONFLICT DO NOTHING;
            ELSE
                INSERT INTO agg_pending_sessions (xid, session_id, branch_id)
                SELECT DISTINCT txid_current(), s.id, u.id
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                JOIN study_sessions s ON s.org_unit_id = ANY({{PathIds("o.path")}} || {{PathIds("n.path")}}) AND s.deleted_at IS NULL
                CROSS JOIN LATERAL (VALUES (o.org_unit_id), (n.org_unit_id)) AS u(id)
                WHERE (o.org_unit_id, o.path, o.valid_from, o.valid_to) IS DISTINCT FROM (n.org_unit_id, n.path, n.valid_from, n.valid_to)
                    AND CASE WHEN o.org_unit_id = n.org_unit_id
                        THEN ({{PlacedOn("o", "s.held_on")}} AND s.org_unit_id = ANY({{PathIds("o.path")}}))
                            IS DISTINCT FROM ({{PlacedOn("n", "s.held_on")}} AND s.org_unit_id = ANY({{PathIds("n.path")}}))
                        ELSE ({{PlacedOn("o", "s.held_on")}} AND s.org_unit_id = ANY({{PathIds("o.path")}}))
                            OR ({{PlacedOn("n", "s.held_on")}} AND s.org_unit_id = ANY({{PathIds("n.path")}})) END
                    AND EXISTS (SELECT 1 FROM member_branch_periods mp WHERE mp.branch_id = u.id)
                ON CONFLICT DO NOTHING;
            END IF;
            IF FOUND THEN PERFORM agg_queue_flush(); END IF;
            RETURN NULL;
        END $f$;
        """;

    private static string ItemFunction((string Table, int Item, string K1, string K2, bool Soft) t)
    {
        var live = t.Soft ? "WHERE r.deleted_at IS NULL" : "";
        string Part(string rows, int sign) => $"SELECT r.org_unit_id, r.year, {t.K1}, {t.K2}, {sign} FROM {rows} r {live}";
        string Note(string source) => $"""
            INSERT INTO agg_pending_items (xid, year, unit_id, item, k1, k2, n)
                SELECT txid_current(), d.year, d.unit_id, {t.Item}, d.k1, d.k2, sum(d.s) FROM ({source}) AS d(unit_id, year, k1, k2, s)
                GROUP BY 2, 3, 4, 5, 6 HAVING sum(d.s) <> 0
                ON CONFLICT (xid, year, unit_id, item, k1, k2) DO UPDATE SET n = agg_pending_items.n + excluded.n;
            """;
        return $"""
            CREATE FUNCTION agg_{t.Table}_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    {Note(Part("new_rows", 1))}
                ELSIF TG_OP = 'DELETE' THEN
                    {Note(Part("old_rows", -1))}
                ELSE
                    {Note(Part("new_rows", 1) + " UNION ALL " + Part("old_rows", -1))}
                END IF;
                IF FOUND THEN PERFORM agg_queue_flush(); END IF;
                RETURN NULL;
            END $f$;
            """;
    }

    /// <summary>
    /// Members' grades per branch, year and level (<c>agg_unit_grades</c>), changed by each statement on
    /// <c>member_grades</c> in its own transaction: +1 for a live row written, −1 for a live row replaced or deleted (an
    /// update of the note alone nets to nothing and writes nothing). Rows left at 0 stay (one per branch, year and level at
    /// most). The table is created by the migration <c>AggUnitGrades</c>, after the first migration that installs these
    /// functions: until it exists the functions do nothing (that migration counts the grades then).
    /// </summary>
    private const string GradeFunctions = """
        CREATE FUNCTION agg_member_grades_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF to_regclass('agg_unit_grades') IS NULL THEN RETURN NULL; END IF;
            IF TG_OP = 'INSERT' THEN
                INSERT INTO agg_unit_grades (year, unit_id, level, n)
                    SELECT d.year, d.unit_id, d.level, sum(d.s)::int FROM (SELECT r.year, r.branch_id, r.level, 1 FROM new_rows r WHERE r.deleted_at IS NULL) AS d(year, unit_id, level, s)
                    GROUP BY 1, 2, 3 HAVING sum(d.s) <> 0 ORDER BY 1, 2, 3
                    ON CONFLICT (year, unit_id, level) DO UPDATE SET n = agg_unit_grades.n + excluded.n;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO agg_unit_grades (year, unit_id, level, n)
                    SELECT d.year, d.unit_id, d.level, sum(d.s)::int FROM (SELECT r.year, r.branch_id, r.level, -1 FROM old_rows r WHERE r.deleted_at IS NULL) AS d(year, unit_id, level, s)
                    GROUP BY 1, 2, 3 HAVING sum(d.s) <> 0 ORDER BY 1, 2, 3
                    ON CONFLICT (year, unit_id, level) DO UPDATE SET n = agg_unit_grades.n + excluded.n;
            ELSE
                INSERT INTO agg_unit_grades (year, unit_id, level, n)
                    SELECT d.year, d.unit_id, d.level, sum(d.s)::int FROM (SELECT r.year, r.branch_id, r.level, 1 FROM new_rows r WHERE r.deleted_at IS NULL UNION ALL SELECT r.year, r.branch_id, r.level, -1 FROM old_rows r WHERE r.deleted_at IS NULL) AS d(year, unit_id, level, s)
                    GROUP BY 1, 2, 3 HAVING sum(d.s) <> 0 ORDER BY 1, 2, 3
                    ON CONFLICT (year, unit_id, level) DO UPDATE SET n = agg_unit_grades.n + excluded.n;
            END IF;
            RETURN NULL;
        END $f$;
        CREATE FUNCTION agg_grades_rebuild() RETURNS void LANGUAGE plpgsql AS $f$
        BEGIN
            IF to_regclass('agg_unit_grades') IS NULL THEN RETURN; END IF;
            LOCK TABLE agg_unit_grades IN EXCLUSIVE MODE;
            DELETE FROM agg_unit_grades;
            INSERT INTO agg_unit_grades (year, unit_id, level, n)
                SELECT g.year, g.branch_id, g.level, count(*) FROM member_grades g WHERE g.deleted_at IS NULL GROUP BY 1, 2, 3;
        END $f$;
        CREATE FUNCTION agg_grade_differences() RETURNS TABLE (what text, unit_id int, year int, detail text, kept bigint, counted bigint)
        LANGUAGE plpgsql STABLE AS $f$
        #variable_conflict use_column
        BEGIN
            IF to_regclass('agg_unit_grades') IS NULL THEN RETURN; END IF;
            RETURN QUERY
            SELECT 'grades'::text, coalesce(k.unit_id, c.unit_id), coalesce(k.year, c.year), 'level ' || coalesce(k.level, c.level),
                coalesce(k.n, 0), coalesce(c.n, 0)
            FROM (SELECT a.year, a.unit_id, a.level, a.n::bigint AS n FROM agg_unit_grades a WHERE a.n <> 0) k
            FULL JOIN (SELECT g.year, g.branch_id AS unit_id, g.level, count(*) AS n FROM member_grades g WHERE g.deleted_at IS NULL GROUP BY 1, 2, 3) c
                ON c.year = k.year AND c.unit_id = k.unit_id AND c.level = k.level
            WHERE coalesce(k.n, 0) <> coalesce(c.n, 0);
        END $f$;
        """;

    private static string Triggers(string table, string function, string? name = null) => $"""
        CREATE TRIGGER {name ?? "agg_" + table}_ins AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
        CREATE TRIGGER {name ?? "agg_" + table}_upd AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
        CREATE TRIGGER {name ?? "agg_" + table}_del AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
        """;

    /// <summary>(table, trigger name, function) of the triggers that note the study sessions whose attendance a statement may change.</summary>
    private static readonly (string Table, string Name, string Function)[] AttendanceTriggers =
    [
        ("study_sessions", "agg_att_sessions", "agg_sessions_changed"),
        ("attendances", "agg_att_marks", "agg_attendances_changed"),
        ("member_branch_periods", "agg_att_periods", "agg_periods_attendance_changed"),
        ("org_placements", "agg_att_placements", "agg_placements_attendance_changed"),
    ];

    private const string FlushTrigger = """
        CREATE CONSTRAINT TRIGGER agg_flush_at_commit AFTER INSERT ON agg_flush_queue
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION agg_flush_at_commit();
        """;

    private static string LiveItems(string table, bool soft) => soft ? $"{table} r WHERE r.deleted_at IS NULL" : $"{table} r";

    /// <summary>Recomputes every aggregate from the tables (after a load that bypassed triggers, a rules change, or to repair).</summary>
    private static string RebuildFunction => $"""
        CREATE FUNCTION agg_rebuild() RETURNS void LANGUAGE plpgsql AS $f$
        DECLARE
            ys int[];
            ms int[];
            yy int[];
        BEGIN
            LOCK TABLE agg_member_rows, agg_unit_figures, agg_unit_yearend, agg_unit_items, agg_unit_totals, agg_years, agg_session_rows IN EXCLUSIVE MODE;
            SELECT array_agg(year) INTO ys FROM (SELECT year FROM agg_years UNION SELECT DISTINCT year FROM pledges) t;
            -- DELETE, not TRUNCATE: the site's role (hlb_site) may delete rows but not truncate tables.
            DELETE FROM agg_member_rows; DELETE FROM agg_unit_figures; DELETE FROM agg_unit_yearend; DELETE FROM agg_unit_items; DELETE FROM agg_unit_totals; DELETE FROM agg_years;
            DELETE FROM agg_pending_members WHERE xid = txid_current();
            DELETE FROM agg_pending_items WHERE xid = txid_current();
            DELETE FROM agg_session_rows; DELETE FROM agg_pending_sessions WHERE xid = txid_current();
            -- What agg_add_years(ys) does through agg_refresh, on the tables just emptied: the members' rows inserted in key
            -- order (a btree filled from its right edge), then the unit rows summed from them and the year-end rows from
            -- those, in plain inserts (no upsert, no array of every row: the same rows, issue 16 LOAD20).
            INSERT INTO agg_years (year) SELECT DISTINCT y FROM unnest(ys) AS y WHERE y IS NOT NULL;
            SELECT array_agg(t.m), array_agg(t.y) INTO ms, yy FROM (
                {MembersOfYears("ys")}) t;
            IF ms IS NOT NULL THEN
                INSERT INTO agg_member_rows (member_id, year, unit_id, from_day, to_day, kind, key, day, n)
                    SELECT c.* FROM agg_contribution(ms, yy) c ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
                INSERT INTO agg_unit_figures (year, unit_id, from_day, to_day, kind, key, day, n)
                    SELECT r.year, r.unit_id, r.from_day, r.to_day, r.kind, r.key, r.day, sum(r.n) FROM agg_member_rows r
                    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(r.n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7;
                INSERT INTO agg_unit_yearend (year, unit_id, kind, key, day, n)
                    SELECT f.year, f.unit_id, f.kind, f.key, f.day, sum(f.n) FROM agg_unit_figures f WHERE {HoldsYearEnd("f")}
                    GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.n) <> 0 ORDER BY 1, 2, 3, 4, 5;
            END IF;
            PERFORM agg_grades_rebuild();
            INSERT INTO agg_session_rows (session_id, branch_id, mark, unit_id, year, n)
                SELECT a.* FROM (SELECT array_agg(s.id) AS ss, array_agg(0) AS bs FROM study_sessions s WHERE s.deleted_at IS NULL) l,
                LATERAL agg_attendance(l.ss, l.bs) a;
            INSERT INTO agg_unit_items (year, unit_id, item, k1, k2, n)
                SELECT r.year, r.unit_id, {Item.Attendance}, r.mark, 0, sum(r.n) FROM agg_session_rows r GROUP BY 1, 2, 3, 4, 5;
            {string.Join("\n    ", Items.Select(t => $"""
                INSERT INTO agg_unit_items (year, unit_id, item, k1, k2, n)
                    SELECT r.year, r.org_unit_id, {t.Item}, {t.K1}, {t.K2}, count(*) FROM {LiveItems(t.Table, t.Soft)} GROUP BY 1, 2, 3, 4, 5;
                """))}
            INSERT INTO agg_unit_totals (year, unit_id, n)
                SELECT a.year, a.unit_id, {TotalsOf("a")} FROM agg_unit_items a GROUP BY 1, 2;
        END $f$;
        """;

    /// <summary>
    /// Differences between the kept aggregates and a count from scratch (empty when exact): the members' contributions
    /// recomputed from the tables for every unit and kept year, every unit item counted again, the years with pledges
    /// that are not kept, and pending changes of transactions that are no longer running.
    /// </summary>
    private static string DifferencesFunction => $"""
        CREATE FUNCTION agg_differences() RETURNS TABLE (what text, unit_id int, year int, detail text, kept bigint, counted bigint)
        LANGUAGE sql STABLE AS $f$
        WITH pairs AS (
            SELECT array_agg(t.m) AS ms, array_agg(t.y) AS ys FROM (
                SELECT mp.member_id AS m, a.year AS y FROM agg_years a
                JOIN member_branch_periods mp ON mp.valid_from < make_date(a.year + 1, 1, 1) AND (mp.valid_to IS NULL OR mp.valid_to > make_date(a.year, 1, 1))
                UNION
                SELECT p.member_id, p.year FROM pledges p JOIN agg_years a ON a.year = p.year) t
        ), counted AS (
            SELECT c.year, c.unit_id, c.from_day, c.to_day, c.kind, c.key, c.day, sum(c.n)::bigint AS n
            FROM pairs, agg_contribution(pairs.ms, pairs.ys) c GROUP BY 1, 2, 3, 4, 5, 6, 7
        ), kept AS (
            SELECT f.year, f.unit_id, f.from_day, f.to_day, f.kind, f.key, f.day, f.n::bigint AS n FROM agg_unit_figures f WHERE f.n <> 0
        ), yearend_counted AS (
            SELECT c.year, c.unit_id, c.kind, c.key, c.day, sum(c.n)::bigint AS n FROM counted c
            WHERE c.from_day <= make_date(c.year, 12, 31) AND c.to_day > make_date(c.year, 12, 31) GROUP BY 1, 2, 3, 4, 5
        ), yearend_kept AS (
            SELECT f.year, f.unit_id, f.kind, f.key, f.day, f.n::bigint AS n FROM agg_unit_yearend f WHERE f.n <> 0
        ), items_counted AS (
            {string.Join("\n    UNION ALL\n    ", Items.Select(t =>
                $"SELECT r.year, r.org_unit_id AS unit_id, {t.Item}::smallint AS item, {t.K1} AS k1, {t.K2} AS k2, count(*) AS n FROM {LiveItems(t.Table, t.Soft)} GROUP BY 1, 2, 3, 4, 5"))}
            UNION ALL
            -- attendance counted as the roll-up counted it at query time, independently of agg_attendance
            SELECT s.year, s.org_unit_id, {Item.Attendance}::smallint, coalesce(a.status, 0)::int, 0, count(*)
            FROM study_sessions s
            JOIN org_placements h ON h.org_unit_id = s.org_unit_id AND h.valid_from <= s.held_on AND (h.valid_to IS NULL OR h.valid_to > s.held_on)
            JOIN org_placements b ON b.path <@ h.path AND b.valid_from <= s.held_on AND (b.valid_to IS NULL OR b.valid_to > s.held_on)
            JOIN member_branch_periods mp ON mp.branch_id = b.org_unit_id AND mp.valid_from <= s.held_on AND (mp.valid_to IS NULL OR mp.valid_to > s.held_on)
            LEFT JOIN attendances a ON a.session_id = s.id AND a.member_id = mp.member_id
            WHERE s.deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5
        ), sessions_counted AS (
            SELECT a.* FROM (SELECT array_agg(s.id) AS ss, array_agg(0) AS bs FROM study_sessions s WHERE s.deleted_at IS NULL) l,
            LATERAL agg_attendance(l.ss, l.bs) a
        ), totals_counted AS (
            SELECT c.year, c.unit_id, {TotalsOf("c")} AS n FROM items_counted c GROUP BY 1, 2
        ), totals_kept AS (
            SELECT t.year, t.unit_id, t.n FROM agg_unit_totals t WHERE t.n <> array_fill(0, ARRAY[cardinality(t.n)])
        ), items_kept AS (
            SELECT i.year, i.unit_id, i.item, i.k1, i.k2, i.n::bigint AS n FROM agg_unit_items i WHERE i.n <> 0
        )
        SELECT 'figures', coalesce(k.unit_id, c.unit_id), coalesce(k.year, c.year),
            concat_ws(' ', coalesce(k.from_day, c.from_day), coalesce(k.to_day, c.to_day), coalesce(k.kind, c.kind), coalesce(k.key, c.key), coalesce(k.day, c.day)),
            coalesce(k.n, 0), coalesce(c.n, 0)
        FROM kept k FULL JOIN counted c USING (year, unit_id, from_day, to_day, kind, key, day)
        WHERE coalesce(k.n, 0) <> coalesce(c.n, 0)
        UNION ALL
        SELECT 'year-end', coalesce(k.unit_id, c.unit_id), coalesce(k.year, c.year),
            concat_ws(' ', coalesce(k.kind, c.kind), coalesce(k.key, c.key), coalesce(k.day, c.day)), coalesce(k.n, 0), coalesce(c.n, 0)
        FROM yearend_kept k FULL JOIN yearend_counted c USING (year, unit_id, kind, key, day)
        WHERE coalesce(k.n, 0) <> coalesce(c.n, 0)
        UNION ALL
        SELECT 'items', coalesce(k.unit_id, c.unit_id), coalesce(k.year, c.year),
            concat_ws(' ', coalesce(k.item, c.item), coalesce(k.k1, c.k1), coalesce(k.k2, c.k2)), coalesce(k.n, 0), coalesce(c.n, 0)
        FROM items_kept k FULL JOIN items_counted c USING (year, unit_id, item, k1, k2)
        WHERE coalesce(k.n, 0) <> coalesce(c.n, 0)
        UNION ALL
        SELECT 'totals', coalesce(k.unit_id, c.unit_id), coalesce(k.year, c.year),
            concat_ws(' ', 'kept', k.n::text, 'counted', c.n::text), coalesce(k.n[1], 0), coalesce(c.n[1], 0)
        FROM totals_kept k FULL JOIN totals_counted c USING (year, unit_id)
        WHERE k.n IS DISTINCT FROM c.n
        UNION ALL
        SELECT 'sessions', coalesce(k.unit_id, c.unit_id), coalesce(k.year, c.year),
            concat_ws(' ', 'session', coalesce(k.session_id, c.session_id), 'branch', coalesce(k.branch_id, c.branch_id), 'mark', coalesce(k.mark, c.mark)),
            coalesce(k.n, 0), coalesce(c.n, 0)
        FROM (SELECT * FROM agg_session_rows WHERE n <> 0) k FULL JOIN sessions_counted c USING (session_id, branch_id, mark, unit_id, year)
        WHERE coalesce(k.n, 0) <> coalesce(c.n, 0)
        UNION ALL
        SELECT 'years', NULL, p.year, 'not kept', 0, count(*) FROM pledges p WHERE NOT EXISTS (SELECT 1 FROM agg_years a WHERE a.year = p.year) GROUP BY p.year
        UNION ALL
        SELECT 'pending', NULL, p.year, 'member ' || p.member_id || ' of a finished transaction', 1, 0 FROM agg_pending_members p
        WHERE txid_status(p.xid) IS DISTINCT FROM 'in progress'
        UNION ALL
        SELECT 'pending', p.unit_id, p.year, 'item ' || p.item || ' of a finished transaction', p.n, 0 FROM agg_pending_items p
        WHERE txid_status(p.xid) IS DISTINCT FROM 'in progress'
        UNION ALL
        SELECT 'pending', NULL, 0, 'session ' || p.session_id || ' of a finished transaction', 1, 0 FROM agg_pending_sessions p
        WHERE txid_status(p.xid) IS DISTINCT FROM 'in progress'
        UNION ALL
        SELECT * FROM agg_grade_differences()
        $f$;
        """;

    private static readonly string[] TriggeredTables = ["pledges", "member_branch_periods", "member_grades", .. Items.Select(t => t.Table)];

    private static string Body => string.Join("\n", [
        Functions,
        GradeFunctions,
        .. Items.Select(ItemFunction),
        RebuildFunction,
        DifferencesFunction,
        Triggers("pledges", "agg_pledges_changed"),
        Triggers("member_branch_periods", "agg_periods_changed"),
        Triggers("member_grades", "agg_member_grades_changed"),
        .. Items.Select(t => Triggers(t.Table, $"agg_{t.Table}_changed")),
        .. AttendanceTriggers.Select(t => Triggers(t.Table, t.Function, t.Name)),
        FlushTrigger,
    ]);

    /// <summary>What the installed SQL was generated from: changes whenever a rule it embeds (or the SQL itself) changes.</summary>
    public static string Fingerprint { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Body)))[..16].ToLowerInvariant();

    private const string FingerprintHolder = "agg_flush()";

    /// <summary>Installs the functions and triggers, records the fingerprint, and fills the aggregates from the existing rows.</summary>
    public static string Install => string.Join("\n", [
        Body,
        $"COMMENT ON FUNCTION {FingerprintHolder} IS 'hlb aggregates {Fingerprint}';",
        "SELECT agg_rebuild();",
    ]);

    /// <summary>
    /// The functions and triggers of the current code and its fingerprint, without recounting: for a migration that changes
    /// how the aggregates are kept and not what they count, run only where the installed functions are known to count the
    /// same (<c>AggRefreshByDifference</c>); any other change goes through <see cref="Install"/> or <see cref="EnsureCurrentAsync"/>.
    /// </summary>
    public static string InstallKeepingCounts => string.Join("\n", [
        Body,
        $"COMMENT ON FUNCTION {FingerprintHolder} IS 'hlb aggregates {Fingerprint}';",
    ]);

    /// <summary>
    /// <see cref="InstallKeepingCounts"/> where the installed functions are those of the fingerprint <paramref name="before"/>
    /// (known to count the same), nothing elsewhere: the body of a migration that changes how the aggregates are kept.
    /// </summary>
    public static string InstallKeepingCountsOver(string before) => $"""
        DO $migration$
        BEGIN
            IF obj_description(to_regprocedure('agg_flush()'), 'pg_proc') = 'hlb aggregates {before}' THEN
                EXECUTE $install${Uninstall}
        {InstallKeepingCounts}$install$;
            END IF;
        END $migration$;
        """;

    public static string Uninstall => string.Join("\n", [
        "DROP TRIGGER IF EXISTS agg_flush_at_commit ON agg_flush_queue;",
        .. TriggeredTables.SelectMany(t => new[]
        {
            $"DROP TRIGGER IF EXISTS agg_{t}_ins ON {t};", $"DROP TRIGGER IF EXISTS agg_{t}_upd ON {t};", $"DROP TRIGGER IF EXISTS agg_{t}_del ON {t};",
        }),
        .. AttendanceTriggers.SelectMany(t => new[]
        {
            $"DROP TRIGGER IF EXISTS {t.Name}_ins ON {t.Table};", $"DROP TRIGGER IF EXISTS {t.Name}_upd ON {t.Table};", $"DROP TRIGGER IF EXISTS {t.Name}_del ON {t.Table};",
            $"DROP FUNCTION IF EXISTS {t.Function}();",
        }),
        "DROP TRIGGER IF EXISTS agg_att_units_upd ON org_units; DROP FUNCTION IF EXISTS agg_units_attendance_changed();",
        "DROP FUNCTION IF EXISTS agg_refresh_sessions(int[], int[]); DROP FUNCTION IF EXISTS agg_attendance(int[], int[]);",
        .. Items.Select(t => $"DROP FUNCTION IF EXISTS agg_{t.Table}_changed();"),
        "DROP FUNCTION IF EXISTS agg_differences(); DROP FUNCTION IF EXISTS agg_rebuild(); DROP FUNCTION IF EXISTS agg_periods_changed();",
        "DROP FUNCTION IF EXISTS agg_pledges_changed(); DROP FUNCTION IF EXISTS agg_queue_flush(); DROP FUNCTION IF EXISTS agg_flush_at_commit();",
        "DROP FUNCTION IF EXISTS agg_flush(); DROP FUNCTION IF EXISTS agg_add_years(int[]); DROP FUNCTION IF EXISTS agg_refresh(int[], int[]);",
        "DROP FUNCTION IF EXISTS agg_contribution(int[], int[]);",
        "DROP FUNCTION IF EXISTS agg_member_grades_changed(); DROP FUNCTION IF EXISTS agg_grades_rebuild(); DROP FUNCTION IF EXISTS agg_grade_differences();",
    ]);

    /// <summary>The fingerprint recorded in the database (null before the aggregates are installed).</summary>
    public static async Task<string?> InstalledFingerprintAsync(AppDbContext db, CancellationToken ct) =>
        (await db.Database.SqlQueryRaw<string?>(
            $"SELECT CASE WHEN to_regprocedure('{FingerprintHolder}') IS NULL THEN NULL ELSE obj_description(to_regprocedure('{FingerprintHolder}'), 'pg_proc') END AS \"Value\"")
            .SingleAsync(ct))?.Replace("hlb aggregates ", "", StringComparison.Ordinal);

    /// <summary>
    /// After migrations: when the database's aggregate functions were generated from other rules (a counting-rule
    /// change, a restored older dump), reinstalls them and recounts every aggregate, in one transaction.
    /// Returns whether it did.
    /// </summary>
    public static async Task<bool> EnsureCurrentAsync(AppDbContext db, CancellationToken ct)
    {
        var installed = await InstalledFingerprintAsync(db, ct);
        if (installed is null || installed == Fingerprint) return false; // not installed: the migration installs them
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // generated here from constants, no user input
        await db.WithCommandAsync(Uninstall + "\n" + Install, cmd =>
        {
            cmd.CommandTimeout = 0;
            return cmd.ExecuteNonQueryAsync(ct);
        }, ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
