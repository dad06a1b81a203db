namespace HocLamTheoBac.Web.Data;

/// <summary>
/// The change log the dashboard's kept roll-up is brought up to date from (docs/adr/0027-dashboard-rollup-kept-in-the-site.md).
/// Every write to what the roll-up reads notes, in the same transaction, which units' own figures of which year it may
/// have changed: <c>(xid, year, unit_id)</c>, year 0 = every year, unit 0 = every unit (the tree, the quotas, the kinds,
/// the kept years: anything the roll-up reads for more than one unit). A reader that computed a roll-up in snapshot S
/// finds what changed since by the rows whose transaction is visible now but not in S
/// (<c>pg_visible_in_snapshot</c>), and reads again only those units.
///
/// The triggers are statement-level and <c>ENABLE ALWAYS</c> (they fire under <c>session_replication_role = replica</c>
/// too, as the synthetic loader's <c>agg_rebuild()</c> runs); they are not part of <see cref="AggregateSql"/>'s generated
/// install, so a reinstall of the aggregates keeps them. <c>hlb restore</c> leaves the log's rows out; the log's table,
/// created again by the restore, tells a kept read to read everything again. Rows older than every running transaction are pruned by the site
/// (<see cref="Prune"/>), which raises <c>rollup_changes_pruned.w</c>: a roll-up kept from a snapshot older than that is
/// read again whole.
/// </summary>
public static class RollupChangesSql
{
    /// <summary>The tables whose rows carry (year, unit_id) of a unit's own figures: each changed row notes its unit.</summary>
    private static readonly string[] UnitTables = ["agg_unit_figures", "agg_unit_yearend", "agg_unit_items", "agg_unit_totals"];

    /// <summary>Tables the roll-up reads for the whole tree: any change notes "everything".</summary>
    private static readonly string[] WholeTables = ["org_units", "org_placements", "model_quotas", "org_kinds", "agg_years"];

    public static string Install => $"""
        INSERT INTO rollup_changes_pruned (id, w) VALUES (1, '0'::xid8);

        CREATE FUNCTION rollup_note_units() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO rollup_changes (year, unit_id) SELECT DISTINCT n.year, n.unit_id FROM new_rows n ON CONFLICT DO NOTHING;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO rollup_changes (year, unit_id) SELECT DISTINCT o.year, o.unit_id FROM old_rows o ON CONFLICT DO NOTHING;
            ELSE
                INSERT INTO rollup_changes (year, unit_id)
                SELECT n.year, n.unit_id FROM new_rows n UNION SELECT o.year, o.unit_id FROM old_rows o ON CONFLICT DO NOTHING;
            END IF;
            RETURN NULL;
        END $f$;

        -- A member's branch periods: every year of that branch (the years not kept count the periods directly).
        CREATE FUNCTION rollup_note_periods() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO rollup_changes (year, unit_id) SELECT DISTINCT 0, n.branch_id FROM new_rows n ON CONFLICT DO NOTHING;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO rollup_changes (year, unit_id) SELECT DISTINCT 0, o.branch_id FROM old_rows o ON CONFLICT DO NOTHING;
            ELSE
                INSERT INTO rollup_changes (year, unit_id)
                SELECT 0, n.branch_id FROM new_rows n UNION SELECT 0, o.branch_id FROM old_rows o ON CONFLICT DO NOTHING;
            END IF;
            RETURN NULL;
        END $f$;

        CREATE FUNCTION rollup_note_everything() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            INSERT INTO rollup_changes (year, unit_id) VALUES (0, 0) ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $f$;

        {string.Join("\n", UnitTables.Select(t => Noted(t, "rollup_note_units")))}
        {Noted("member_branch_periods", "rollup_note_periods")}
        {string.Join("\n", UnitTables.Select(t => $"""
            CREATE TRIGGER rollup_note_{t}_trunc AFTER TRUNCATE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION rollup_note_everything();
            ALTER TABLE {t} ENABLE ALWAYS TRIGGER rollup_note_{t}_trunc;
            """))}
        {string.Join("\n", WholeTables.Select(t => $"""
            CREATE TRIGGER rollup_note_{t} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION rollup_note_everything();
            ALTER TABLE {t} ENABLE ALWAYS TRIGGER rollup_note_{t};
            """))}
        """;

    private static string Noted(string table, string function) => $"""
        CREATE TRIGGER rollup_note_{table}_ins AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
        CREATE TRIGGER rollup_note_{table}_upd AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
        CREATE TRIGGER rollup_note_{table}_del AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
        ALTER TABLE {table} ENABLE ALWAYS TRIGGER rollup_note_{table}_ins;
        ALTER TABLE {table} ENABLE ALWAYS TRIGGER rollup_note_{table}_upd;
        ALTER TABLE {table} ENABLE ALWAYS TRIGGER rollup_note_{table}_del;
        """;

    public static string Uninstall => string.Join("\n", [
        .. UnitTables.Append("member_branch_periods").SelectMany(t => new[]
        {
            $"DROP TRIGGER IF EXISTS rollup_note_{t}_ins ON {t};", $"DROP TRIGGER IF EXISTS rollup_note_{t}_upd ON {t};", $"DROP TRIGGER IF EXISTS rollup_note_{t}_del ON {t};",
        }),
        .. UnitTables.Select(t => $"DROP TRIGGER IF EXISTS rollup_note_{t}_trunc ON {t};"),
        .. WholeTables.Select(t => $"DROP TRIGGER IF EXISTS rollup_note_{t} ON {t};"),
        "DROP FUNCTION IF EXISTS rollup_note_units(); DROP FUNCTION IF EXISTS rollup_note_periods(); DROP FUNCTION IF EXISTS rollup_note_everything();",
    ]);

    /// <summary>
    /// Members' grades kept per branch, year and level (<c>agg_unit_grades</c>, ADR 0018 "Members' grades"): noted like
    /// the other per-unit tables (each changed row its (year, branch); a TRUNCATE everything), so the kept roll-up reads
    /// the grades of the branches that graded again, not the subtree's (migration <c>KeptGradesInRollupChanges</c>, after
    /// the table's own migration; not in <see cref="Install"/>, which the first migration of the log runs before the table
    /// exists).
    /// </summary>
    public static string InstallGrades => $"""
        {Noted(GradesTable, "rollup_note_units")}
        CREATE TRIGGER rollup_note_{GradesTable}_trunc AFTER TRUNCATE ON {GradesTable} FOR EACH STATEMENT EXECUTE FUNCTION rollup_note_everything();
        ALTER TABLE {GradesTable} ENABLE ALWAYS TRIGGER rollup_note_{GradesTable}_trunc;
        """;

    public static string UninstallGrades => string.Join("\n",
        new[] { "ins", "upd", "del", "trunc" }.Select(k => $"DROP TRIGGER IF EXISTS rollup_note_{GradesTable}_{k} ON {GradesTable};"));

    private const string GradesTable = "agg_unit_grades";

    /// <summary>
    /// Removes the rows of transactions older than every running one and raises the mark below which rows may be gone:
    /// a roll-up kept from a snapshot whose xmin is under the mark is read again whole.
    /// </summary>
    public const string Prune = """
        WITH m AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS w),
        d AS (DELETE FROM rollup_changes c USING m WHERE c.xid < m.w)
        INSERT INTO rollup_changes_pruned (id, w) SELECT 1, m.w FROM m
        ON CONFLICT (id) DO UPDATE SET w = greatest(rollup_changes_pruned.w, excluded.w)
        """;

    /// <summary>
    /// The change log's tables hold transaction ids of the cluster that wrote them: a restore leaves their rows out
    /// (<c>hlb restore</c>), and the restored, newly created table tells the kept roll-ups to read everything again.
    /// </summary>
    public static readonly string[] NotRestored = ["rollup_changes", "rollup_changes_pruned"];
}
