namespace HocLamTheoBac.Web.Data;

/// <summary>
/// The functions and triggers that keep the aggregate tables (Data/Aggregates.cs) exact in the same transaction
/// as every write, whatever the path: EF, raw SQL, COPY, restructuring (docs/adr/0011-incremental-aggregates.md).
/// Statement-level triggers with transition tables, so a COPY of a million pledges costs a few set-based
/// statements, not a million function calls. No status set appears here: counts are kept per status.
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

    private const string Functions = """
        -- One member's contribution for each (member, year) given: a row per branch period overlapping the year (kind 1,
        -- key = bit set of the statuses of the member's pledges of the year), the member's pledges counted in that period's
        -- branch (kind 2), and, for the days of the year the member stands nowhere, the pledges counted where they are kept.
        -- from_day/to_day: the as-of days d with from_day <= d < to_day; day: the deadline, +infinity when it cannot pass
        -- within the year, -infinity when it passed before the year began.
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
                CASE WHEN p.deadline IS NULL OR p.deadline >= make_date(s.y, 12, 31) THEN 'infinity'::date
                     WHEN p.deadline < s.y0 THEN '-infinity'::date ELSE p.deadline END AS dl,
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

        -- Replaces the contribution of each (member, year) given, inside the caller's transaction. Writers of the same
        -- member are serialised (an advisory lock per member, or a table lock for a bulk write), and every statement after
        -- the lock reads a fresh snapshot, so a concurrent writer's committed rows are always seen.
        CREATE FUNCTION agg_refresh(ms int[], ys int[]) RETURNS void LANGUAGE plpgsql AS $f$
        DECLARE
            gone agg_member_rows[];
            fresh agg_member_rows[];
        BEGIN
            IF ms IS NULL OR cardinality(ms) = 0 THEN RETURN; END IF;
            IF cardinality(ms) > 500 THEN
                LOCK TABLE agg_member_rows IN SHARE ROW EXCLUSIVE MODE;
            ELSE
                LOCK TABLE agg_member_rows IN ROW EXCLUSIVE MODE;
                PERFORM pg_advisory_xact_lock(1601, x.m) FROM (SELECT DISTINCT u.m FROM unnest(ms) AS u(m) ORDER BY 1) x;
            END IF;
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
            -- One statement, rows in key order, only the rows whose count changes: two transactions changing members
            -- of the same branch lock its aggregate rows in the same order (no deadlock) and only where they must.
            INSERT INTO agg_unit_figures (year, unit_id, from_day, to_day, kind, key, day, n)
            SELECT d.year, d.unit_id, d.from_day, d.to_day, d.kind, d.key, d.day, sum(d.n) FROM (
                SELECT x.year, x.unit_id, x.from_day, x.to_day, x.kind, x.key, x.day, -x.n AS n FROM unnest(gone) x
                UNION ALL
                SELECT x.year, x.unit_id, x.from_day, x.to_day, x.kind, x.key, x.day, x.n FROM unnest(fresh) x) d
            GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
            ON CONFLICT (year, unit_id, from_day, to_day, kind, key, day) DO UPDATE SET n = agg_unit_figures.n + excluded.n;
        END $f$;

        -- Starts keeping a year: every member who stands in a branch during it, or has a pledge of it.
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
                SELECT mp.member_id AS m, a.y FROM unnest(added) AS a(y)
                JOIN member_branch_periods mp ON mp.valid_from < make_date(a.y + 1, 1, 1) AND (mp.valid_to IS NULL OR mp.valid_to > make_date(a.y, 1, 1))
                UNION
                SELECT p.member_id, p.year FROM pledges p WHERE p.year = ANY(added)) t;
            PERFORM agg_refresh(ms, yy);
        END $f$;

        CREATE FUNCTION agg_pledges_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
        DECLARE
            ms int[];
            ys int[];
        BEGIN
            IF TG_OP = 'INSERT' THEN
                PERFORM agg_add_years(array_agg(DISTINCT n.year)) FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM agg_years a WHERE a.year = n.year);
                SELECT array_agg(t.member_id), array_agg(t.year) INTO ms, ys FROM (SELECT DISTINCT member_id, year FROM new_rows) t;
            ELSIF TG_OP = 'DELETE' THEN
                SELECT array_agg(t.member_id), array_agg(t.year) INTO ms, ys FROM (SELECT DISTINCT member_id, year FROM old_rows) t;
            ELSE
                PERFORM agg_add_years(array_agg(DISTINCT n.year)) FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM agg_years a WHERE a.year = n.year);
                SELECT array_agg(t.m), array_agg(t.y) INTO ms, ys FROM (
                    SELECT o.member_id AS m, o.year AS y FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE (o.member_id, o.year, o.branch_id, o.status, o.deadline, o.deleted_at IS NULL)
                          IS DISTINCT FROM (n.member_id, n.year, n.branch_id, n.status, n.deadline, n.deleted_at IS NULL)
                    UNION
                    SELECT n.member_id, n.year FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE (o.member_id, o.year, o.branch_id, o.status, o.deadline, o.deleted_at IS NULL)
                          IS DISTINCT FROM (n.member_id, n.year, n.branch_id, n.status, n.deadline, n.deleted_at IS NULL)) t;
            END IF;
            SELECT array_agg(t.m), array_agg(t.y) INTO ms, ys FROM unnest(ms, ys) AS t(m, y) JOIN agg_years a ON a.year = t.y;
            PERFORM agg_refresh(ms, ys);
            RETURN NULL;
        END $f$;

        CREATE FUNCTION agg_periods_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
        DECLARE
            ms int[];
            ys int[];
        BEGIN
            IF TG_OP = 'INSERT' THEN
                SELECT array_agg(t.member_id), array_agg(a.year) INTO ms, ys FROM (SELECT DISTINCT member_id FROM new_rows) t CROSS JOIN agg_years a;
            ELSIF TG_OP = 'DELETE' THEN
                SELECT array_agg(t.member_id), array_agg(a.year) INTO ms, ys FROM (SELECT DISTINCT member_id FROM old_rows) t CROSS JOIN agg_years a;
            ELSE
                SELECT array_agg(t.member_id), array_agg(a.year) INTO ms, ys FROM (
                    SELECT o.member_id FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE (o.member_id, o.branch_id, o.valid_from, o.valid_to) IS DISTINCT FROM (n.member_id, n.branch_id, n.valid_from, n.valid_to)
                    UNION
                    SELECT n.member_id FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE (o.member_id, o.branch_id, o.valid_from, o.valid_to) IS DISTINCT FROM (n.member_id, n.branch_id, n.valid_from, n.valid_to)) t
                CROSS JOIN agg_years a;
            END IF;
            PERFORM agg_refresh(ms, ys);
            RETURN NULL;
        END $f$;
        """;

    private static string ItemFunction((string Table, int Item, string K1, string K2, bool Soft) t)
    {
        var live = t.Soft ? "WHERE r.deleted_at IS NULL" : "";
        string Part(string rows, int sign) => $"SELECT r.org_unit_id, r.year, {t.K1}, {t.K2}, {sign} FROM {rows} r {live}";
        string Upsert(string source) => $"""
            INSERT INTO agg_unit_items (year, unit_id, item, k1, k2, n)
                SELECT d.year, d.unit_id, {t.Item}, d.k1, d.k2, sum(d.s) FROM ({source}) AS d(unit_id, year, k1, k2, s)
                GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.s) <> 0 ORDER BY 1, 2, 3, 4, 5
                ON CONFLICT (year, unit_id, item, k1, k2) DO UPDATE SET n = agg_unit_items.n + excluded.n;
            """;
        return $"""
            CREATE FUNCTION agg_{t.Table}_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    {Upsert(Part("new_rows", 1))}
                ELSIF TG_OP = 'DELETE' THEN
                    {Upsert(Part("old_rows", -1))}
                ELSE
                    {Upsert(Part("new_rows", 1) + " UNION ALL " + Part("old_rows", -1))}
                END IF;
                RETURN NULL;
            END $f$;
            """;
    }

    private static string Triggers(string table, string function) => $"""
        CREATE TRIGGER agg_{table}_ins AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
        CREATE TRIGGER agg_{table}_upd AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
        CREATE TRIGGER agg_{table}_del AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
        """;

    /// <summary>Recomputes every aggregate from the tables (after a load that bypassed triggers, or to repair).</summary>
    private static string RebuildFunction => $"""
        CREATE FUNCTION agg_rebuild() RETURNS void LANGUAGE plpgsql AS $f$
        DECLARE
            ys int[];
        BEGIN
            LOCK TABLE agg_member_rows, agg_unit_figures, agg_unit_items, agg_years IN EXCLUSIVE MODE;
            SELECT array_agg(year) INTO ys FROM (SELECT year FROM agg_years UNION SELECT DISTINCT year FROM pledges UNION SELECT year FROM plan_years) t;
            TRUNCATE agg_member_rows, agg_unit_figures, agg_unit_items, agg_years;
            PERFORM agg_add_years(ys);
            {string.Join("\n    ", Items.Select(t => $"""
                INSERT INTO agg_unit_items (year, unit_id, item, k1, k2, n)
                    SELECT r.year, r.org_unit_id, {t.Item}, {t.K1}, {t.K2}, count(*) FROM {t.Table} r {(t.Soft ? "WHERE r.deleted_at IS NULL" : "")} GROUP BY 1, 2, 3, 4, 5;
                """))}
        END $f$;
        """;

    /// <summary>
    /// Differences between the kept aggregates and a count from scratch (empty when exact): the members' contributions
    /// recomputed from the tables, and every unit item counted again.
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
        ), items_counted AS (
            {string.Join("\n    UNION ALL\n    ", Items.Select(t =>
                $"SELECT r.year, r.org_unit_id AS unit_id, {t.Item}::smallint AS item, {t.K1} AS k1, {t.K2} AS k2, count(*) AS n FROM {t.Table} r {(t.Soft ? "WHERE r.deleted_at IS NULL" : "")} GROUP BY 1, 2, 3, 4, 5"))}
        ), items_kept AS (
            SELECT i.year, i.unit_id, i.item, i.k1, i.k2, i.n::bigint AS n FROM agg_unit_items i WHERE i.n <> 0
        )
        SELECT 'figures', coalesce(k.unit_id, c.unit_id), coalesce(k.year, c.year),
            concat_ws(' ', coalesce(k.from_day, c.from_day), coalesce(k.to_day, c.to_day), coalesce(k.kind, c.kind), coalesce(k.key, c.key), coalesce(k.day, c.day)),
            coalesce(k.n, 0), coalesce(c.n, 0)
        FROM kept k FULL JOIN counted c USING (year, unit_id, from_day, to_day, kind, key, day)
        WHERE coalesce(k.n, 0) <> coalesce(c.n, 0)
        UNION ALL
        SELECT 'items', coalesce(k.unit_id, c.unit_id), coalesce(k.year, c.year),
            concat_ws(' ', coalesce(k.item, c.item), coalesce(k.k1, c.k1), coalesce(k.k2, c.k2)), coalesce(k.n, 0), coalesce(c.n, 0)
        FROM items_kept k FULL JOIN items_counted c USING (year, unit_id, item, k1, k2)
        WHERE coalesce(k.n, 0) <> coalesce(c.n, 0)
        UNION ALL
        -- a year with pledges must be kept
        SELECT 'years', NULL, p.year, 'not kept', 0, count(*) FROM pledges p WHERE NOT EXISTS (SELECT 1 FROM agg_years a WHERE a.year = p.year) GROUP BY p.year
        $f$;
        """;

    /// <summary>Installs the functions and triggers and fills the aggregates from the existing rows (migration Aggregates).</summary>
    public static string InstallV1 => string.Join("\n", [
        Functions,
        .. Items.Select(ItemFunction),
        RebuildFunction,
        DifferencesFunction,
        Triggers("pledges", "agg_pledges_changed"),
        Triggers("member_branch_periods", "agg_periods_changed"),
        .. Items.Select(t => Triggers(t.Table, $"agg_{t.Table}_changed")),
        "SELECT agg_rebuild();",
    ]);

    public static string UninstallV1 => string.Join("\n", [
        .. new[] { "pledges", "member_branch_periods" }.Concat(Items.Select(t => t.Table)).SelectMany(t => new[]
        {
            $"DROP TRIGGER IF EXISTS agg_{t}_ins ON {t};", $"DROP TRIGGER IF EXISTS agg_{t}_upd ON {t};", $"DROP TRIGGER IF EXISTS agg_{t}_del ON {t};",
        }),
        .. Items.Select(t => $"DROP FUNCTION IF EXISTS agg_{t.Table}_changed();"),
        "DROP FUNCTION IF EXISTS agg_differences(); DROP FUNCTION IF EXISTS agg_rebuild(); DROP FUNCTION IF EXISTS agg_periods_changed();",
        "DROP FUNCTION IF EXISTS agg_pledges_changed(); DROP FUNCTION IF EXISTS agg_add_years(int[]); DROP FUNCTION IF EXISTS agg_refresh(int[], int[]);",
        "DROP FUNCTION IF EXISTS agg_contribution(int[], int[]);",
    ]);
}
