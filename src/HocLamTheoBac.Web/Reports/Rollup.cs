using System.Text.Json.Serialization;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Reports;

/// <summary>The year's figures of one unit, summed over its subtree (or its own rows only, see <see cref="UnitFigures"/>).</summary>
public sealed record Figures
{
    public int Members { get; init; }
    public int MembersWithPlan { get; init; }
    public int PledgesRegistered { get; init; }
    public int PledgesDone { get; init; }
    public int PledgesOverdue { get; init; }
    public int CollectiveRegistered { get; init; }
    public int CollectiveDone { get; init; }
    public int ModelsCollective { get; init; }
    public int ModelsExemplar { get; init; }
    public int ModelsRecognised { get; init; }
    public int QuotaCollective { get; init; }
    public int QuotaExemplar { get; init; }
    public int Replications { get; init; }
    public int Praises { get; init; }
    public int Certificates { get; init; }
    public int Merits { get; init; }
    public int StudySessions { get; init; }
    public int AttendancePresent { get; init; }
    public int AttendanceRecorded { get; init; }
    public int ProblemsRegistered { get; init; }
    public int ProblemsResolved { get; init; }
    public int LeaderTasks { get; init; }
    public int LeaderTasksDone { get; init; }
    public int Plans { get; init; }

    // Members' grades of the year by level, counted where the branch that recorded them stood on the as-of day (or its
    // first successor, gone by then): the dashboard's and the review sheet's grade counts. Not printed by the year-end
    // report, and left out of its frozen JSON (an issued report's snapshot keeps the fields it had).
    [JsonIgnore] public int GradedExcellent { get; init; }
    [JsonIgnore] public int GradedGood { get; init; }
    [JsonIgnore] public int GradedCompleted { get; init; }
    [JsonIgnore] public int GradedNotCompleted { get; init; }

    /// <summary>The grade counts by level, every level (0 when none): <see cref="GradedExcellent"/> and the others.</summary>
    public IReadOnlyDictionary<GradeLevel, int> Grades() => new Dictionary<GradeLevel, int>
    {
        [GradeLevel.Excellent] = GradedExcellent,
        [GradeLevel.Good] = GradedGood,
        [GradeLevel.Completed] = GradedCompleted,
        [GradeLevel.NotCompleted] = GradedNotCompleted,
    };

    public Rate PlanRate => new(MembersWithPlan, Members);
    public Rate PledgeRate => new(PledgesDone, PledgesRegistered);
    public Rate CollectiveRate => new(CollectiveDone, CollectiveRegistered);
    public Rate AttendanceRate => new(AttendancePresent, AttendanceRecorded);
    public Rate ProblemRate => new(ProblemsResolved, ProblemsRegistered);
    public Rate LeaderTaskRate => new(LeaderTasksDone, LeaderTasks);
    public int Commendations => Praises + Certificates + Merits;

    /// <summary>
    /// Something was recorded for the year (a pledge registered, a collective item, attendance, a problem, a unit plan or
    /// a study session): false for the years before the site was used, whose members are counted all the same. The one
    /// home of "a year with data": the dashboard's trend shows "—" for such a year and a period review leaves it out of
    /// its sums (ADR 0012).
    /// </summary>
    public bool HasRecords =>
        PledgesRegistered + CollectiveRegistered + AttendanceRecorded + ProblemsRegistered + Plans + StudySessions > 0;
}

public sealed record UnitFigures(int UnitId, int? ParentId, string Code, string Name, string KindName, string Symbol, bool IsBranch, int Depth, Figures Figures)
{
    /// <summary>
    /// The one order of a unit's children wherever figures are listed: the dashboard's and the roll-up's child rows and the
    /// report's annex (the walk of session 19: the dashboard listed by code, the annex by the units' creation).
    /// </summary>
    public static IOrderedEnumerable<T> InSiblingOrder<T>(IEnumerable<T> units, Func<T, string> code) => units.OrderBy(code, StringComparer.Ordinal);
}

/// <summary>
/// A free-named indicator over a subtree (and a period): the units' values of one name and one unit of measure. Values
/// with different units of measure are never added ("15 triệu đồng" and "2.000.000 đồng" are two lines); a rate (unit
/// "%") is never added either: it is the mean of the <see cref="Units"/> values reported (the walk of session 16 found
/// "Tỷ lệ hộ gia đình văn hóa: 187 %" in a report).
/// </summary>
public sealed record IndicatorTotal(string Name, string? Unit, decimal Value, int Units = 1)
{
    [System.Text.Json.Serialization.JsonIgnore] public bool IsRate => IsRateUnit(Unit);

    /// <summary>The grouping of values that may be summed or averaged together: the name and the unit of measure as typed, case and spaces aside.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public (string, string) Key => (Name, IndicatorRules.UnitKey(Unit));

    public static bool IsRateUnit(string? unit) => IndicatorRules.IsRate(unit);

    /// <summary>From the sum and number of the values the SQL read: a rate is their mean.</summary>
    public static IndicatorTotal Of(string name, string? unit, decimal sum, int units) =>
        new(name, unit, IsRateUnit(unit) && units > 0 ? Math.Round(sum / units, 2) : sum, units);

    /// <summary>Totals of several years (a period report) or parts, grouped by <see cref="Key"/>: sums, or for a rate the mean over every value.</summary>
    public static List<IndicatorTotal> Merge(IEnumerable<IndicatorTotal> parts) =>
        parts.GroupBy(i => i.Key).Select(g =>
        {
            var first = g.First();
            var units = g.Sum(i => i.Units);
            return Of(first.Name, g.Select(i => i.Unit).FirstOrDefault(u => u is not null), first.IsRate ? g.Sum(i => i.Value * i.Units) : g.Sum(i => i.Value), units);
        }).OrderBy(i => i.Name, StringComparer.Ordinal).ThenBy(i => i.Unit, StringComparer.Ordinal).ToList();

    /// <summary>How the report names it: a rate of several units says it is their mean.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public string Label => IsRate && Units > 1 ? $"{Name} (bình quân {Units} đơn vị)" : Name;
}

/// <summary>The roll-up of a unit's subtree for a year, grouped by the tree as it stood on <see cref="AsOf"/>.</summary>
public sealed record RollupResult(int Year, DateOnly AsOf, UnitFigures? Root, IReadOnlyList<UnitFigures> Children, IReadOnlyList<UnitFigures> All, IReadOnlyList<IndicatorTotal> Indicators)
{
    public Figures Totals => Root?.Figures ?? new Figures();
    public IEnumerable<UnitFigures> ChildrenOf(int unitId) => All.Where(u => u.ParentId == unitId);
}

/// <summary>
/// Year-end figures for a unit and every unit of its subtree: the tree is the placements valid on 31/12 of the year
/// (today for the current year, ADR 0004); each unit's own figures are read from the aggregates the database keeps exact
/// in every writing transaction (Data/AggregateSql.cs, ADR 0018: per branch for members and pledges, per unit for the
/// other records) as the rows are kept, and added up here by the status sets and values of Domain/ (no filtered sums in
/// the database); then each unit's own figures are added to each unit of its ltree path that stands in the tree. The
/// current year reads the year-end rows too for every branch whose figures cannot change between the as-of day and 31/12
/// (ADR 0018, "The open year"). Two round trips in all (the root's path; then the tree, the records, the members and
/// pledges, the quotas, the kinds and the indicators in one batch), in one snapshot, whatever the size of the subtree.
/// Counting rules: docs/adr/0006-year-end-counting-rules.md.
/// </summary>
public static partial class Rollup
{
    /// <summary>The as-of day of a year's figures: 31/12, or today (Vietnam) while the year is under way.</summary>
    public static DateOnly AsOfFor(int year, VietnamCalendar calendar) => calendar.AsOf(year);

    private static readonly string[] Columns =
    [
        "members", "with_plan", "pl_reg", "pl_done", "pl_overdue", "co_reg", "co_done", "mo_col", "mo_ex", "mo_rec",
        "q_col", "q_ex", "repl", "praise", "cert", "merit", "sessions", "att_present", "att_recorded",
        "pr_reg", "pr_res", "lt", "lt_done", "plans",
        // Members' grades by level (GradeLevel 1–4 at GradeColumn + level − 1): agg_unit_grades (GradesSql).
        "g_excellent", "g_good", "g_completed", "g_not_completed",
    ];

    /// <summary>The column of <see cref="GradeLevel.Excellent"/>; the other levels follow in the enum's order.</summary>
    private const int GradeColumn = 24;

    /// <summary>
    /// The years asked (<c>@ys</c>, each with its as-of day in <c>@ds</c>), whether each is kept in the aggregates and
    /// whether its as-of day is 31/12; then, per year, the tree as it stood on that day under the unit, whose path on
    /// that day (<c>@r0</c>…) was read first (<see cref="RootsAsync"/>): one branch per year with the day and path as
    /// values, so the planner estimates the subtree's size from the statistics of <c>org_placements.path</c>.
    /// </summary>
    private static string TreeSql(int years, Func<int, string>? root = null) => $$"""
        WITH RECURSIVE yrs AS (
            SELECT x.y, x.d, x.d = make_date(x.y, 12, 31) AS at_end, EXISTS (SELECT 1 FROM agg_years k WHERE k.year = x.y) AS kept
            FROM unnest(@ys::int[], @ds::date[]) AS x(y, d)
        ), tree AS (
            {{(years == 0 ? "SELECT 0 AS y, 0 AS id, NULL::int AS parent_id, NULL::ltree AS path WHERE false"
                : string.Join("\n    UNION ALL\n    ", Enumerable.Range(0, years).Select(i =>
                    $"SELECT @y{i}::int AS y, p.org_unit_id AS id, p.parent_id, p.path FROM org_placements p WHERE p.valid_from <= @d{i} AND (p.valid_to IS NULL OR p.valid_to > @d{i}) AND p.path <@ {(root ?? (k => $"@r{k}::ltree"))(i)}")))}}
        ), chain AS (
            -- Units gone by the as-of day (merged or closed with a successor) and the successor chain that follows them
            SELECT yr.y, u.id AS orig, u.merged_into_id AS cur, 1 AS n FROM yrs yr JOIN org_units u
            ON u.merged_into_id IS NOT NULL AND u.closed_on <= yr.d
            UNION ALL
            SELECT c.y, c.orig, u.merged_into_id, c.n + 1 FROM chain c JOIN yrs yr ON yr.y = c.y JOIN org_units u ON u.id = c.cur
            WHERE u.merged_into_id IS NOT NULL AND u.closed_on <= yr.d AND c.n < 50
        ), successor AS (
            -- A unit gone by the as-of day: the first successor of that unit in the tree
            SELECT DISTINCT ON (c.y, c.orig) c.y, c.orig AS holder, t.id AS counted_in FROM chain c JOIN tree t ON t.y = c.y AND t.id = c.cur
            ORDER BY c.y, c.orig, c.n
        ), held AS (
            -- Who a study session counts for: the unit that held it, or the first successor of that unit in the tree
            SELECT t.y, t.id AS holder, t.id AS counted_in FROM tree t
            UNION ALL
            SELECT * FROM successor
        )
        """;

    /// <summary>The unit's path on each as-of day (years in which it did not stand in the tree are left out).</summary>
    private const string RootsSql = """
        SELECT DISTINCT ON (x.y) x.y, x.d, p.path::text, EXISTS (SELECT 1 FROM agg_years k WHERE k.year = x.y)
        FROM unnest(@ys::int[], @ds::date[]) AS x(y, d)
        JOIN org_placements p ON p.org_unit_id = @unit AND p.valid_from <= x.d AND (p.valid_to IS NULL OR p.valid_to > x.d)
        ORDER BY x.y, p.valid_from DESC
        """;

    /// <summary>
    /// The statements of one read (<see cref="ReadAsync"/>), sent in one batch and read in one snapshot. Each returns rows
    /// as they are kept — no grouping and no filtered sums in the database: each row is added to its unit's own figures in
    /// C# (<see cref="AddTotals"/>, <see cref="AddSuccessorItem"/>, <see cref="AddFigure"/>), by the counting rules' sets
    /// and values from their one home in Domain/ (the unit records' per-unit totals by <see cref="AggregateSql.ItemRules"/>). (Until 01/12/2026 the statement grouped the 32.238 item rows and the 16.057 year-end rows per unit with
    /// 24 filtered sums each, sorting both: two thirds of the roll-up's time, docs/performance.md.)
    ///
    /// The ids of the units of year <paramref name="i"/>'s tree (the placements valid on its as-of day under the root's
    /// path on that day), for a semi-join: planned from the statistics of <c>org_placements.path</c> — a hash of the
    /// ids for a province, an index probe per unit for a district — where the materialised <c>tree</c> would hide its size.
    /// </summary>
    private static string SubtreeIds(int i, bool only = false) =>
        $"SELECT p.org_unit_id FROM org_placements p WHERE p.valid_from <= @d{i} AND (p.valid_to IS NULL OR p.valid_to > @d{i}) AND p.path <@ @r{i}::ltree{OnlyFilter(only)}";

    /// <summary>A read of some units of the tree only (<c>@only</c>: the units a kept roll-up reads again, RollupKept.cs).</summary>
    private static string OnlyFilter(bool only) => only ? " AND p.org_unit_id = ANY(@only)" : "";

    private static string EachYear(int years, Func<int, string> branch) =>
        years == 0 ? "" : string.Join("\n    UNION ALL\n    ", Enumerable.Range(0, years).Select(branch));

    /// <summary>Every unit of each year's tree: its path (ancestors, depth, quotas, order), its kind, and its code and name when asked.</summary>
    private static string UnitsSql(int years, bool names, bool only = false) => EachYear(years, i => $"""
        SELECT @y{i}::int, p.org_unit_id, p.parent_id, ltree2text(p.path), u.kind_id, {(names ? "u.code, u.name" : "NULL::text, NULL::text")}
        FROM org_placements p JOIN org_units u ON u.id = p.org_unit_id
        WHERE p.valid_from <= @d{i} AND (p.valid_to IS NULL OR p.valid_to > @d{i}) AND p.path <@ @r{i}::ltree{OnlyFilter(only)}
        """);


    /// <summary>
    /// The units' own yearly records, one row per unit (<c>agg_unit_totals</c>, kept by the same flush as the item rows):
    /// every record, then each figure of <see cref="AggregateSql.TotalSlots"/> as <see cref="AggregateSql.ItemRules"/>
    /// count them. (Until 01/12/2026, session 8, the 32.238 item rows of the province were read and added here one by one.)
    /// </summary>
    private static string TotalsSql(int years, bool only = false) => years == 0 ? "SELECT 0, 0, 0 WHERE false" : EachYear(years, i => $"""
        SELECT @y{i}::int, a.unit_id, cardinality(a.n), {TotalsColumns} FROM agg_unit_totals a
        WHERE a.year = @y{i} AND a.unit_id IN ({SubtreeIds(i, only)})
        """);

    /// <summary>
    /// The slots of <c>agg_unit_totals.n</c> as columns (every record, then <see cref="AggregateSql.TotalSlots"/>), each
    /// read with <c>GetInt32</c>: Npgsql's array reader was 7 % of the client's CPU samples (docs/performance.md, session 8).
    /// </summary>
    private static readonly string TotalsColumns = string.Join(", ", Enumerable.Range(1, AggregateSql.TotalSlots.Length + 1).Select(k => $"coalesce(a.n[{k}], 0)"));

    /// <summary>
    /// The study sessions and their attendance of the units gone by the as-of day, each with the unit it counts for: the
    /// first successor in the tree (<c>successor</c>); by item and mark, added by <see cref="AggregateSql.ItemRules"/>; and
    /// their members' grades (item <see cref="GradeItem"/>, k1 = the level), which count for the successor the same way.
    /// </summary>
    private static string SuccessorItemsSql(int years, bool only = false) => TreeSql(years) + $"""

        SELECT s.y, s.counted_in, a.item::int, a.k1, a.k2, a.n
        FROM successor s JOIN agg_unit_items a ON a.year = s.y AND a.unit_id = s.holder
        WHERE a.item IN ({string.Join(", ", AggregateSql.ItemRules.Where(r => r.Successor).Select(r => r.Item).Distinct())}){(only ? " AND s.counted_in = ANY(@only)" : "")}
        UNION ALL
        SELECT s.y, s.counted_in, {GradeItem}, g.level, 0, g.n
        FROM successor s JOIN agg_unit_grades g ON g.year = s.y AND g.unit_id = s.holder
        WHERE g.n <> 0{(only ? " AND s.counted_in = ANY(@only)" : "")}
        """;

    /// <summary>
    /// The item number of a row of members' grades (k1 = the level) among a gone unit's records counted for its successor
    /// (<see cref="SuccessorItemsSql"/>, <see cref="HeldItemsSql"/>): grades count where the branch that recorded them
    /// stood on the as-of day, or, gone by then, in its first successor in the tree, as study sessions do (ADR 0028).
    /// </summary>
    private const int GradeItem = -1;

    /// <summary>
    /// Members' grades of each unit of the tree as kept per branch, year and level (<c>agg_unit_grades</c>, ADR 0018
    /// "Members' grades"; a grade counts for the branch that recorded it, a gone branch's in its successor:
    /// <see cref="SuccessorItemsSql"/>). Until 02/12/2026 (session 16) a statement of its own summed the kept rows over the
    /// tree of the day at every view (<c>Rollup.GradesAsync</c>), apart from the kept roll-up: now one more figure of
    /// each unit, kept and brought up to date with the others from the change log (ADR 0027).
    /// </summary>
    private static string OwnGradesSql(int years, bool only = false) => years == 0 ? "SELECT 0, 0, 0, 0 WHERE false" : EachYear(years, i => $"""
        SELECT @y{i}::int, a.unit_id, a.level, a.n FROM agg_unit_grades a
        WHERE a.year = @y{i} AND a.n <> 0 AND a.unit_id IN ({SubtreeIds(i, only)})
        """);

    /// <summary>
    /// <see cref="SuccessorItemsSql"/> for a read of some units (<c>@only</c>) of a kept read, whose gone units and the
    /// units they count in are known (<see cref="Kept.Holders"/>: the tree has not changed since, or the whole subtree
    /// would be read again): the pairs of the units read again as arrays (<c>@hy</c>, <c>@hh</c>, <c>@hc</c>), without
    /// the successor chain over the whole tree.
    /// </summary>
    private static readonly string HeldItemsSql = $"""
        SELECT h.y, h.counted_in, a.item::int, a.k1, a.k2, a.n
        FROM unnest(@hy::int[], @hh::int[], @hc::int[]) AS h(y, holder, counted_in)
        JOIN agg_unit_items a ON a.year = h.y AND a.unit_id = h.holder
        WHERE a.item IN ({string.Join(", ", AggregateSql.ItemRules.Where(r => r.Successor).Select(r => r.Item).Distinct())})
        UNION ALL
        SELECT h.y, h.counted_in, {GradeItem}, g.level, 0, g.n
        FROM unnest(@hy::int[], @hh::int[], @hc::int[]) AS h(y, holder, counted_in)
        JOIN agg_unit_grades g ON g.year = h.y AND g.unit_id = h.holder
        WHERE g.n <> 0
        """;

    /// <summary>
    /// Members and their pledges per branch (kind 1: key = bit set of the member's statuses; kind 2: key = status), with
    /// whether the deadline is before the as-of day. Written per year, for what <see cref="RootsAsync"/> found: whether
    /// the year is kept and whether its as-of day is 31/12.
    /// </summary>
    private static string FiguresRowsSql(Roots roots, bool recordedOnly, bool only = false)
    {
        var years = roots.Years.Length;
        // A read of some units (only): whether those units are bounded, through the key's index, not every bounded branch.
        var someOf = only ? " AND a.unit_id = ANY(@only)" : "";
        var bounded = Enumerable.Range(0, years).Where(i => roots.Kept[i] && !AtEnd(roots, i)).Select(i => $"""
            , bounded{i} AS MATERIALIZED (
                -- Branches whose figures on the as-of day may differ from their figures on 31/12: an as-of window of one
                -- of their members starts or ends after the as-of day and by 31/12 (a future-dated admission, transfer or
                -- departure). Every other branch holds on the as-of day exactly the windows it holds on 31/12, so its
                -- year-end rows are its figures on that day too (ADR 0018, "The open year"). Read through the partial
                -- indexes on the windows' finite bounds: a handful of rows, not the year's windows.
                SELECT a.unit_id FROM agg_unit_figures a
                WHERE a.year = @y{i} AND a.from_day <> '-infinity'::date AND a.from_day > @d{i} AND a.from_day <= make_date(@y{i}, 12, 31){someOf}
                UNION
                SELECT a.unit_id FROM agg_unit_figures a
                WHERE a.year = @y{i} AND a.to_day <> 'infinity'::date AND a.to_day > @d{i} AND a.to_day <= make_date(@y{i}, 12, 31){someOf}
            )
            """);
        return TreeSql(years) + string.Concat(bounded) + "\n" + EachYear(years, i => roots.Kept[i] ? AtEnd(roots, i) ? $"""
            -- Members and their pledges per branch, kept exact by the database (Data/AggregateSql.cs, ADR 0018): a
            -- member's pledges of the year count in the branch where the member stands on the as-of day, or where they
            -- are kept when the member stands nowhere that day (ADR 0006). On 31/12: the year-end rows (one per branch,
            -- kind, key and deadline) ...
            SELECT @y{i}::int, a.unit_id, a.kind::int, a.key, a.day < @d{i}, a.n FROM agg_unit_yearend a
            WHERE a.year = @y{i} AND a.unit_id IN ({SubtreeIds(i, only)})
            """ : $"""
            -- ... and on an earlier day, for every branch not bounded (above); a bounded branch reads the rows of every
            -- as-of window that holds the day ...
            SELECT @y{i}::int, a.unit_id, a.kind::int, a.key, a.day < @d{i}, a.n FROM agg_unit_yearend a
            WHERE a.year = @y{i} AND a.unit_id IN ({SubtreeIds(i, only)}) AND a.unit_id NOT IN (SELECT b.unit_id FROM bounded{i} b)
            UNION ALL
            SELECT @y{i}::int, a.unit_id, a.kind::int, a.key, a.day < @d{i}, a.n FROM agg_unit_figures a
            WHERE a.year = @y{i} AND a.unit_id IN (SELECT b.unit_id FROM bounded{i} b WHERE b.unit_id IN ({SubtreeIds(i, only)}))
                AND a.from_day <= @d{i} AND a.to_day > @d{i}
            """ : $"""
            -- ... or, for a year not kept yet: it has no pledge (a year is kept from its first pledge; agg_differences()
            -- checks it), so agg_contribution() of its members comes down to one row per branch period, kind 1, key 0 (no
            -- pledge), counted on the days the period covers: the periods covering the as-of day, counted now{(recordedOnly
                ? " — when the\n-- subtree has something recorded that year (a unit record)" : "")}.
            SELECT @y{i}::int, mp.branch_id, 1, 0, false, count(*)::int FROM member_branch_periods mp
            WHERE mp.branch_id IN ({SubtreeIds(i, only)}) AND mp.valid_from <= @d{i} AND (mp.valid_to IS NULL OR mp.valid_to > @d{i})
            {(recordedOnly ? $"AND EXISTS (SELECT 1 FROM agg_unit_items a JOIN held h ON h.holder = a.unit_id AND a.year = h.y WHERE h.y = @y{i})" : "")}
            GROUP BY mp.branch_id
            """);
    }

    private static bool AtEnd(Roots roots, int i) => roots.AsOf[i] == new DateOnly(roots.Years[i], 12, 31);

    /// <summary>The quotas of the years asked (a small table): applied per unit by <see cref="ApplyQuotas"/>.</summary>
    private const string QuotasSql = """
        SELECT q.year, q.org_kind_id, q.set_by_org_unit_id, q.min_collective, q.min_exemplar FROM model_quotas q WHERE q.year = ANY(@ys)
        """;

    private const string KindsSql = "SELECT k.id, k.name, k.symbol, k.is_branch FROM org_kinds k";

    /// <summary>The indicators of the units of the (one) year's tree, summed per name.</summary>
    private static string IndicatorSql(int years) => years == 0 ? "SELECT '', NULL::text, 0::numeric, 0 WHERE false" : $"""
        SELECT i.name, min(i.unit), sum(i.value), count(*)::int
        FROM indicator_values i
        WHERE i.year = @y AND i.deleted_at IS NULL AND i.org_unit_id IN ({SubtreeIds(0)})
        GROUP BY i.name, lower(btrim(coalesce(i.unit, ''))) ORDER BY i.name, lower(btrim(coalesce(i.unit, '')))
        """;

    /// <summary>A unit of a year's tree with its own figures (before any sum over the tree).</summary>
    internal sealed class UnitRow(int id, int? parent, string path, int kindId, string? code, string? name)
    {
        public int Id { get; } = id;
        public int? Parent { get; } = parent;
        public string Path { get; } = path;
        public int[] Labels { get; } = ParseLabels(path);
        public int KindId { get; } = kindId;
        public string? Code { get; } = code;
        public string? Name { get; } = name;
        public int[] Own { get; } = new int[Columns.Length];
    }

    internal sealed class YearRows
    {
        public bool Kept { get; set; }
        /// <summary>Something to count in the subtree: kept, or a unit record of a unit counted in the tree.</summary>
        public bool Recorded { get; set; }
        public List<UnitRow> Units { get; private init; } = [];

        /// <summary>
        /// Each unit's position in <see cref="Units"/>, made once the units are read (and ordered); shared by the reads that
        /// replace some units' rows (<see cref="With"/>): the same units in the same order, so a kept read brought up to
        /// date copies a list of references, not a dictionary of the subtree (ADR 0027).
        /// </summary>
        private Dictionary<int, int> index = [];

        public bool Holds(int id) => index.ContainsKey(id);

        /// <summary>A unit's position in <see cref="Units"/>.</summary>
        public bool TryIndex(int id, out int at) => index.TryGetValue(id, out at);

        public bool TryFind(int id, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out UnitRow unit)
        {
            unit = index.TryGetValue(id, out var i) ? Units[i] : null;
            return unit is not null;
        }

        /// <summary>The row of a unit of the tree (a unit not in it: <see cref="KeyNotFoundException"/>).</summary>
        public UnitRow this[int id] => Units[index[id]];

        internal void MakeIndex()
        {
            var made = new Dictionary<int, int>(Units.Count);
            for (var i = 0; i < Units.Count; i++) made[Units[i].Id] = i;
            index = made;
        }

        /// <summary>These rows with the rows of <paramref name="fresh"/> in place of the same units' (units not held are left out).</summary>
        internal YearRows With(YearRows? fresh, List<(UnitRow Old, UnitRow New)> replaced)
        {
            var units = new List<UnitRow>(Units);
            if (fresh is not null)
                foreach (var u in fresh.Units)
                    if (index.TryGetValue(u.Id, out var i))
                    {
                        replaced.Add((units[i], u));
                        units[i] = u;
                    }
            return new YearRows { Kept = Kept, Recorded = Recorded, Units = units, index = index };
        }
    }

    internal sealed record ReadResult(Dictionary<int, YearRows> Years, Dictionary<int, (string Name, string Symbol, bool IsBranch)> Kinds, List<IndicatorTotal> Indicators)
    {
        /// <summary>
        /// The kept read this one was made from by replacing some units' rows (year, old row, new row), until what is
        /// derived from it (<see cref="DashboardAsync"/>'s sums) has been derived: then null, so that no chain of older
        /// reads is kept alive.
        /// </summary>
        internal (ReadResult Prev, Dictionary<int, List<(UnitRow Old, UnitRow New)>> Replaced)? From { get; set; }
    }

    /// <summary>What a read returns besides each unit's own figures.</summary>
    internal sealed record ReadShape(bool Names, bool Ordered, bool Indicators, bool RecordedOnly);

    /// <summary>
    /// Each unit's own figures for every year of <paramref name="roots"/>, in one round trip: the statements above in one
    /// batch, in the reading's snapshot (<see cref="OpenAsync"/>); the rows added to each unit's figures here.
    /// </summary>
    private static async Task<ReadResult> ReadAsync(NpgsqlConnection conn, Roots roots, ReadShape shape, int? year, CancellationToken ct, Profile? profile = null, int[]? only = null,
        Dictionary<int, Dictionary<int, int>>? holders = null)
    {
        var n = roots.Years.Length;
        var some = only is not null;
        await using var batch = conn.CreateBatch();
        void Add(string sql)
        {
            var c = new NpgsqlBatchCommand(sql);
            AddParameters(c.Parameters, roots);
            if (year is { } y) c.Parameters.Add(new NpgsqlParameter("y", y));
            if (some) c.Parameters.Add(new NpgsqlParameter("only", only));
            batch.BatchCommands.Add(c);
        }
        Add(UnitsSql(n, shape.Names, some));
        Add(TotalsSql(n, some));
        if (some && holders is not null)
        {
            var wanted = only!.ToHashSet();
            var (hy, hh, hc) = (new List<int>(), new List<int>(), new List<int>());
            foreach (var (y, h) in holders)
                foreach (var (holder, countedIn) in h)
                    if (wanted.Contains(countedIn)) { hy.Add(y); hh.Add(holder); hc.Add(countedIn); }
            var c = new NpgsqlBatchCommand(HeldItemsSql);
            c.Parameters.Add(new NpgsqlParameter("hy", hy.ToArray()));
            c.Parameters.Add(new NpgsqlParameter("hh", hh.ToArray()));
            c.Parameters.Add(new NpgsqlParameter("hc", hc.ToArray()));
            batch.BatchCommands.Add(c);
        }
        else Add(SuccessorItemsSql(n, some));
        Add(OwnGradesSql(n, some));
        Add(FiguresRowsSql(roots, shape.RecordedOnly, some));
        Add(QuotasSql);
        if (shape.Names) Add(KindsSql);
        if (shape.Indicators) Add(IndicatorSql(n));

        var years = new Dictionary<int, YearRows>();
        for (var i = 0; i < n; i++) years[roots.Years[i]] = new YearRows { Kept = roots.Kept[i], Recorded = roots.Kept[i] };
        var kinds = new Dictionary<int, (string, string, bool)>();
        var indicators = new List<IndicatorTotal>();
        var quotas = new List<(int Year, int Kind, int Setter, int Collective, int Exemplar)>();
        await using var r = await batch.ExecuteReaderAsync(ct);
        profile?.Mark("batch sent, first result");
        while (await r.ReadAsync(ct))
        {
            var u = new UnitRow(r.GetInt32(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.GetString(3), r.GetInt32(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6));
            years[r.GetInt32(0)].Units.Add(u);
        }
        profile?.Mark("units read");
        if (shape.Ordered)
        {
            // The order of the paths as ltree orders them: its labels are unit ids (digits only), and '.' sorts before
            // every digit, so comparing the paths' text ordinally gives ltree's order (label by label, a shorter label
            // first, a prefix first) without the database's ltree comparisons (a tenth of the statement's time).
            foreach (var yr in years.Values) yr.Units.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            profile?.Mark("units sorted");
        }
        foreach (var yr in years.Values) yr.MakeIndex();
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var yr = years[r.GetInt32(0)];
            if (r.GetInt32(3) != 0) yr.Recorded = true;
            AddTotals(yr[r.GetInt32(1)].Own, r);
        }
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var yr = years[r.GetInt32(0)];
            if (r.GetInt32(2) == GradeItem)
            {
                // A grade is not a record of the unit's year (Recorded: the trend's "—" stays as it was).
                AddGrade(yr[r.GetInt32(1)].Own, r.GetInt32(3), r.GetInt32(5));
                continue;
            }
            yr.Recorded = true;
            AddSuccessorItem(yr[r.GetInt32(1)].Own, r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5));
        }
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct)) AddGrade(years[r.GetInt32(0)][r.GetInt32(1)].Own, r.GetInt32(2), r.GetInt32(3));
        profile?.Mark("records and grades read and added");
        await r.NextResultAsync(ct);
        // A branch's rows come together (read in the key order of the year-end rows): its unit is looked up once.
        var (lastYear, lastUnit, last) = (0, 0, (UnitRow?)null);
        while (await r.ReadAsync(ct))
        {
            var (y, unit) = (r.GetInt32(0), r.GetInt32(1));
            if (last is null || y != lastYear || unit != lastUnit) (lastYear, lastUnit, last) = (y, unit, years[y][unit]);
            AddFigure(last.Own, r.GetInt32(2), r.GetInt32(3), r.GetBoolean(4), r.GetInt32(5));
        }
        profile?.Mark("members and pledges read and added");
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct)) quotas.Add((r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4)));
        if (shape.Names)
        {
            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct)) kinds[r.GetInt32(0)] = (r.GetString(1), r.GetString(2), r.GetBoolean(3));
        }
        if (shape.Indicators)
        {
            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct)) indicators.Add(IndicatorTotal.Of(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetDecimal(2), r.GetInt32(3)));
        }
        profile?.Mark("quotas, kinds, indicators read");
        foreach (var (y, yr) in years) ApplyQuotas(yr.Units, quotas.Where(q => q.Year == y).ToList());
        profile?.Mark("quotas applied");
        return new ReadResult(years, kinds, indicators);
    }

    // The counting rules' sets and values (Domain/CountingRules.cs and the enums' homes), as the aggregates key them.
    private static readonly int RegisteredMask = Mask(PledgeSets.Registered); // PlanRules.HasPlan: any registered pledge
    private static readonly int RegisteredDoneMask = Mask(PledgeSets.Registered.Intersect(PledgeSets.Done));
    private static readonly int RegisteredOverdueMask = Mask(PledgeSets.Registered.Intersect(PledgeSets.CanBeOverdue));

    /// <summary>
    /// A row of members (kind 1, key = the bit set of the statuses of a member's pledges of the year) or pledges (kind 2,
    /// key = the status) of a branch: members, members with a plan (any registered pledge), pledges registered, done and
    /// overdue (registered, can be overdue, deadline before the as-of day: <paramref name="past"/>).
    /// </summary>
    private static void AddFigure(int[] v, int kind, int key, bool past, int n)
    {
        if (kind == 1)
        {
            v[0] = checked(v[0] + n);
            if ((key & RegisteredMask) != 0) v[1] = checked(v[1] + n);
        }
        else if (kind == 2)
        {
            if ((RegisteredMask >> key & 1) == 1) v[2] = checked(v[2] + n);
            if ((RegisteredDoneMask >> key & 1) == 1) v[3] = checked(v[3] + n);
            if (past && (RegisteredOverdueMask >> key & 1) == 1) v[4] = checked(v[4] + n);
        }
    }

    /// <summary>
    /// A unit's yearly records as kept per unit (<c>agg_unit_totals</c>): slot 0 is every record, slot s + 1 the figure
    /// <see cref="AggregateSql.TotalSlots"/>[s], counted by <see cref="AggregateSql.ItemRules"/> (collective pledges,
    /// models, commendations, study sessions, attendance, problems, leaders' tasks, plans; ADR 0018).
    /// </summary>
    private static void AddTotals(int[] v, NpgsqlDataReader r)
    {
        var slots = AggregateSql.TotalSlots;
        // Columns: year, unit, the array's length, then slot 0 (every record) and one per figure (TotalsSql).
        if (r.GetInt32(2) != slots.Length + 1)
            throw new InvalidOperationException($"agg_unit_totals has {r.GetInt32(2)} figures, the rules {slots.Length + 1}: the aggregates were not recounted after a rule changed.");
        for (var s = 0; s < slots.Length; s++) v[slots[s]] = checked(v[slots[s]] + r.GetInt32(4 + s));
    }

    /// <summary>Members' grades of a level (<see cref="GradeLevel"/>) to their column; a level the site does not write counts nowhere.</summary>
    private static void AddGrade(int[] v, int level, int n)
    {
        if (level is >= (int)GradeLevel.Excellent and <= (int)GradeLevel.NotCompleted)
            v[GradeColumn + level - 1] = checked(v[GradeColumn + level - 1] + n);
    }

    /// <summary>
    /// A record row (<see cref="AggregateSql.Item"/>: item, k1, k2, n) of a unit gone by the as-of day, for its first
    /// successor in the tree: only the rules that count for a successor (study sessions and their attendance).
    /// </summary>
    private static void AddSuccessorItem(int[] v, int item, int k1, int k2, int n)
    {
        foreach (var rule in AggregateSql.ItemRules)
            if (rule.Successor && rule.Matches(item, k1, k2)) v[rule.Column] = checked(v[rule.Column] + n);
    }

    /// <summary>
    /// QuotaRules: the quota for the unit's kind set by its nearest strict ancestor, in the tree of the as-of day — of the
    /// year's quotas for the unit's kind, the one whose setter stands last in the unit's path before the unit itself.
    /// </summary>
    private static void ApplyQuotas(List<UnitRow> units, List<(int Year, int Kind, int Setter, int Collective, int Exemplar)> quotas)
    {
        if (quotas.Count == 0) return;
        foreach (var u in units)
        {
            var best = -1;
            foreach (var q in quotas)
            {
                if (q.Kind != u.KindId) continue;
                var at = Array.IndexOf(u.Labels, q.Setter, 0, u.Labels.Length - 1);
                if (at > best)
                {
                    best = at;
                    u.Own[10] = q.Collective;
                    u.Own[11] = q.Exemplar;
                }
            }
        }
    }

    /// <summary>The unit ids of an ltree path ("1.12.305").</summary>
    private static int[] ParseLabels(string path)
    {
        var ids = new int[path.AsSpan().Count('.') + 1];
        var i = 0;
        foreach (var range in path.AsSpan().Split('.'))
            ids[i++] = int.Parse(path.AsSpan()[range], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
        return ids;
    }

    /// <summary>
    /// Every unit's figures of the subtree as of <see cref="AsOfFor"/>. With <paramref name="memo"/> (the site's, held by
    /// <see cref="DashboardRollups"/>) each unit's own figures are kept between requests and brought up to date from the
    /// change log in the request's snapshot (ADR 0027), and the sums over the tree made once per read; without it (and
    /// always inside a writing transaction) read from the aggregates as they are now. The same figures either way.
    /// </summary>
    public static async Task<RollupResult> ComputeAsync(AppDbContext db, int unitId, int year, CancellationToken ct, RollupMemo? memo = null) =>
        await ComputeAsync(db, unitId, year, db.Clock.AsOf(year), ct, memo);

    public static Task<RollupResult> ComputeAsync(AppDbContext db, int unitId, int year, DateOnly asOf, CancellationToken ct, RollupMemo? memo = null) =>
        ComputeAsync(db, unitId, year, asOf, null, ct, memo);

    /// <summary>For tools/ (bench-rollup --profile): where the time of one roll-up goes, in process.</summary>
    internal sealed class Profile
    {
        private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
        private readonly System.Diagnostics.Process self = System.Diagnostics.Process.GetCurrentProcess();
        private double last, lastCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        /// <summary>Each phase's wall time and this process's CPU time (every thread) during it.</summary>
        public List<(string Phase, double Ms, double CpuMs)> Phases { get; } = [];

        public void Mark(string phase)
        {
            var now = clock.Elapsed.TotalMilliseconds;
            self.Refresh();
            var cpu = self.TotalProcessorTime.TotalMilliseconds;
            Phases.Add((phase, now - last, cpu - lastCpu));
            (last, lastCpu) = (now, cpu);
        }
    }

    internal static async Task<RollupResult> ComputeAsync(AppDbContext db, int unitId, int year, DateOnly asOf, Profile? profile, CancellationToken ct, RollupMemo? memo = null)
    {
        return await db.OnConnectionAsync(async conn =>
        {
            profile?.Mark("connection");
            await using var reading = await OpenAsync(db, conn, unitId, [year], [asOf], ct, memo);
            profile?.Mark("root's path");
            if (reading.Roots.Years.Length == 0) return new RollupResult(year, asOf, null, [], [], []);
            if (reading.ThroughMemo)
            {
                // Kept (ADR 0027): the units' own figures as kept or read again, and what is made from them made once per
                // read (a read served as kept is the same object). The indicators are not in the change log: read now.
                var kept = await reading.ReadAsync(conn, KeptShape, year, ct);
                profile?.Mark("kept read");
                var made = AllOf.GetValue(kept, r => MakeAll(r, unitId, year));
                if (made.UnitId != unitId) made = MakeAll(kept, unitId, year);
                var indicators = await IndicatorsAsync(conn, reading.Roots, year, ct);
                profile?.Mark("sums over the tree (once per read), indicators read");
                return new RollupResult(year, asOf, made.Root, made.Children, made.All, indicators);
            }
            var read = await ReadAsync(conn, reading.Roots, new ReadShape(Names: true, Ordered: true, Indicators: true, RecordedOnly: false), year, ct, profile);
            var all = MakeAll(read, unitId, year);
            profile?.Mark("sums over the tree, records built");
            return new RollupResult(year, asOf, all.Root, all.Children, all.All, read.Indicators);
        }, ct);
    }

    /// <summary>What <see cref="ComputeAsync(AppDbContext, int, int, DateOnly, CancellationToken, RollupMemo?)"/> keeps in the memo: names, in the tree's order, no indicators.</summary>
    private static readonly ReadShape KeptShape = new(Names: true, Ordered: true, Indicators: false, RecordedOnly: false);

    /// <summary>Every unit's figures summed over its subtree, made from a read (kept with a kept read while it lives).</summary>
    private sealed record AllMade(int UnitId, UnitFigures? Root, IReadOnlyList<UnitFigures> Children, IReadOnlyList<UnitFigures> All);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ReadResult, AllMade> AllOf = new();

    /// <summary>Each unit's own figures added to every unit of its path that stands in the tree (itself included).</summary>
    private static AllMade MakeAll(ReadResult read, int unitId, int year)
    {
        var units = read.Years[year].Units;
        var sums = new int[units.Count][];
        for (var i = 0; i < units.Count; i++) sums[i] = (int[])units[i].Own.Clone();
        var rows = read.Years[year];
        for (var i = 0; i < units.Count; i++)
        {
            var u = units[i];
            var labels = u.Labels;
            foreach (var ancestor in labels)
                if (ancestor != u.Id && rows.TryIndex(ancestor, out var a))
                {
                    var s = sums[a];
                    for (var c = 0; c < s.Length; c++) s[c] = checked(s[c] + u.Own[c]);
                }
        }
        var all = new UnitFigures[units.Count];
        UnitFigures? root = null;
        var children = new List<UnitFigures>();
        for (var i = 0; i < units.Count; i++)
        {
            var u = units[i];
            var k = read.Kinds[u.KindId];
            var f = all[i] = new UnitFigures(u.Id, u.Parent, u.Code!, u.Name!, k.Name, k.Symbol, k.IsBranch, u.Labels.Length, ToFigures(sums[i]));
            if (u.Id == unitId) root ??= f;
            if (u.Parent == unitId) children.Add(f);
        }
        return new AllMade(unitId, root, [.. UnitFigures.InSiblingOrder(children, u => u.Code)], all);
    }

    /// <summary>The indicators of the year's subtree in the reading's snapshot (<see cref="IndicatorSql"/>).</summary>
    private static async Task<List<IndicatorTotal>> IndicatorsAsync(NpgsqlConnection conn, Roots roots, int year, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = IndicatorSql(roots.Years.Length);
        AddParameters(cmd.Parameters, roots);
        cmd.Parameters.Add(new NpgsqlParameter("y", year));
        var list = new List<IndicatorTotal>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(IndicatorTotal.Of(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetDecimal(2), r.GetInt32(3)));
        return list;
    }

    /// <summary>
    /// The totals of a unit's subtree (<see cref="RollupResult.Totals"/>) for several years in one read: the same rows
    /// as <see cref="ComputeAsync(AppDbContext, int, int, DateOnly, CancellationToken)"/>, then one sum per year instead of
    /// a sum per ancestor (no names, no indicators). Each year as of <see cref="AsOfFor"/>; a year in which the unit did
    /// not exist has empty figures. A year with nothing recorded in the subtree — no pledge anywhere (not kept in the
    /// aggregates) and no unit record — is null: its members alone would be a count of every branch period on the day,
    /// and there is no rate to show for it.
    /// </summary>
    public static async Task<IReadOnlyDictionary<int, Figures?>> TotalsAsync(AppDbContext db, int unitId, IReadOnlyCollection<int> years, CancellationToken ct, RollupMemo? memo = null)
    {
        var ys = years.Distinct().Order().ToArray();
        var result = ys.ToDictionary(y => y, _ => (Figures?)new Figures());
        if (ys.Length == 0) return result;
        var ds = ys.Select(y => db.Clock.AsOf(y)).ToArray();
        return await db.OnConnectionAsync(async conn =>
        {
            await using var reading = await OpenAsync(db, conn, unitId, ys, ds, ct, memo);
            foreach (var y in reading.Roots.Years) result[y] = null; // the unit stood in the tree: null unless something was recorded
            if (reading.Roots.Years.Length == 0) return (IReadOnlyDictionary<int, Figures?>)result;
            var read = await reading.ReadAsync(conn, TotalsShape, null, ct);
            AddTotals(result, read);
            return (IReadOnlyDictionary<int, Figures?>)result;
        }, ct);
    }

    /// <summary>What <see cref="TotalsAsync"/> reads: no names, no order, no indicators; a year counts when something is recorded.</summary>
    private static readonly ReadShape TotalsShape = new(Names: false, Ordered: false, Indicators: false, RecordedOnly: true);

    /// <summary>Each recorded year's totals of the subtree into <paramref name="result"/> (<see cref="TotalsAsync"/>).</summary>
    private static void AddTotals(Dictionary<int, Figures?> result, ReadResult read)
    {
        foreach (var (y, yr) in read.Years)
        {
            if (!yr.Recorded) continue;
            var v = new int[Columns.Length];
            foreach (var u in yr.Units)
                for (var c = 0; c < v.Length; c++) v[c] = checked(v[c] + u.Own[c]);
            result[y] = ToFigures(v);
        }
    }

    /// <summary>
    /// For tools/ (bench-rollup --explain): EXPLAIN (ANALYZE, BUFFERS) of each statement of the roll-up's read (or of the
    /// totals' read), in the order they are sent, each with its parameters written in to run again in psql.
    /// </summary>
    internal static async Task<string> ExplainAsync(NpgsqlConnection conn, int unitId, int year, DateOnly asOf, int[]? totalsYears, DateOnly[]? totalsAsOf, CancellationToken ct)
    {
        var roots = totalsYears is null ? await RootsAsync(conn, unitId, [year], [asOf], ct) : await RootsAsync(conn, unitId, totalsYears, totalsAsOf!, ct);
        var n = roots.Years.Length;
        var statements = totalsYears is null
            ? new[] { UnitsSql(n, true), TotalsSql(n), SuccessorItemsSql(n), OwnGradesSql(n), FiguresRowsSql(roots, false), QuotasSql, KindsSql, IndicatorSql(n) }
            : [UnitsSql(n, false), TotalsSql(n), SuccessorItemsSql(n), OwnGradesSql(n), FiguresRowsSql(roots, true), QuotasSql];
        var lines = new List<string>();
        foreach (var sql in statements)
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            AddParameters(cmd.Parameters, roots);
            if (totalsYears is null) cmd.Parameters.Add(new NpgsqlParameter("y", year));
            var inlined = cmd.CommandText;
            foreach (var p in cmd.Parameters.Cast<NpgsqlParameter>().OrderByDescending(p => p.ParameterName.Length))
                inlined = inlined.Replace("@" + p.ParameterName, p.Value switch
                {
                    int[] a => $"'{{{string.Join(",", a)}}}'::int[]",
                    DateOnly[] a => $"'{{{string.Join(",", a.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}}}'::date[]",
                    DateOnly d => $"'{d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}'::date",
                    string t => $"'{t}'",
                    _ => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture),
                }, StringComparison.Ordinal);
            cmd.CommandText = "EXPLAIN (ANALYZE, BUFFERS) " + cmd.CommandText;
            lines.Add("-- statement:");
            lines.Add(inlined + ";");
            lines.Add("-- plan:");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) lines.Add(r.GetString(0));
        }
        return string.Join("\n", lines);
    }

    /// <summary>A set of statuses as a bit mask (bit s for status s), for the aggregates' status keys.</summary>
    private static int Mask(IEnumerable<PledgeStatus> set) => PledgeSets.Sql(set).Aggregate(0, (m, s) => m | 1 << s);

    /// <summary>The years asked in which the unit stood in the tree, with their as-of days and the unit's path on each.</summary>
    /// <summary>The years asked in which the unit stood in the tree, their as-of days, the unit's path on each, and whether each year is kept in the aggregates.</summary>
    internal sealed record Roots(int[] Years, DateOnly[] AsOf, string[] Paths, bool[] Kept)
    {
        /// <summary>The roots of the years that <paramref name="keep"/> keeps, in the same order.</summary>
        public Roots Where(Func<int, bool> keep)
        {
            var at = Enumerable.Range(0, Years.Length).Where(i => keep(Years[i])).ToArray();
            return new Roots([.. at.Select(i => Years[i])], [.. at.Select(i => AsOf[i])], [.. at.Select(i => Paths[i])], [.. at.Select(i => Kept[i])]);
        }
    }

    private static async Task<Roots> RootsAsync(NpgsqlConnection conn, int unitId, int[] years, DateOnly[] asOf, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = RootsSql;
        cmd.Parameters.Add(new NpgsqlParameter("unit", unitId));
        cmd.Parameters.Add(new NpgsqlParameter("ys", years));
        cmd.Parameters.Add(new NpgsqlParameter("ds", asOf));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await ReadRootsAsync(r, ct);
    }

    /// <summary><see cref="RootsSql"/> as a command of a batch (<see cref="DashboardAsync(NpgsqlConnection, VietnamCalendar, int, int, IReadOnlyCollection{int}, RollupMemo, IReadOnlyList{NpgsqlBatchCommand}, Func{NpgsqlDataReader, CancellationToken, Task{bool}}, CancellationToken)"/>).</summary>
    private static NpgsqlBatchCommand RootsCommand(int unitId, int[] years, DateOnly[] asOf)
    {
        var c = new NpgsqlBatchCommand(RootsSql);
        c.Parameters.Add(new NpgsqlParameter("unit", unitId));
        c.Parameters.Add(new NpgsqlParameter("ys", years));
        c.Parameters.Add(new NpgsqlParameter("ds", asOf));
        return c;
    }

    /// <summary>The rows of <see cref="RootsSql"/>, the reader on its result.</summary>
    private static async Task<Roots> ReadRootsAsync(NpgsqlDataReader r, CancellationToken ct)
    {
        var (ys, ds, ps, ks) = (new List<int>(), new List<DateOnly>(), new List<string>(), new List<bool>());
        while (await r.ReadAsync(ct))
        {
            ys.Add(r.GetInt32(0));
            ds.Add(r.GetFieldValue<DateOnly>(1));
            ps.Add(r.GetString(2));
            ks.Add(r.GetBoolean(3));
        }
        return new Roots([.. ys], [.. ds], [.. ps], [.. ks]);
    }

    /// <summary>The years, as-of days and root paths as parameters (<c>@ys</c>, <c>@ds</c>, <c>@y0</c>, <c>@d0</c>, <c>@r0</c>…) of <see cref="TreeSql"/>.</summary>
    private static void AddParameters(NpgsqlParameterCollection parameters, Roots roots)
    {
        parameters.Add(new NpgsqlParameter("ys", roots.Years));
        parameters.Add(new NpgsqlParameter("ds", roots.AsOf));
        for (var i = 0; i < roots.Years.Length; i++)
        {
            parameters.Add(new NpgsqlParameter("y" + i, roots.Years[i]));
            parameters.Add(new NpgsqlParameter("d" + i, roots.AsOf[i]));
            parameters.Add(new NpgsqlParameter("r" + i, roots.Paths[i]));
        }
    }

    /// <summary>A roll-up's reading: the root's path on each as-of day, and the transaction it reads in.</summary>
    private sealed class Reading(Roots roots, NpgsqlTransaction? own, RollupMemo? memo) : IAsyncDisposable
    {
        public Roots Roots { get; } = roots;

        /// <summary>Reads go through the memo: one was given and the read is not inside a writing transaction.</summary>
        public bool ThroughMemo => memo is not null && own is not null;

        /// <summary>Each unit's own figures: through the memo when one was given and the read is not inside a writing transaction.</summary>
        public Task<ReadResult> ReadAsync(NpgsqlConnection conn, ReadShape shape, int? year, CancellationToken ct) =>
            memo is not null && own is not null ? ReadKeptAsync(conn, Roots, shape, year, memo, ct) : Rollup.ReadAsync(conn, Roots, shape, year, ct);

        /// <summary>Several reads in the reading's snapshot; through the memo as above, their changes asked in one round trip.</summary>
        public async Task<ReadResult[]> ReadAsync(NpgsqlConnection conn, IReadOnlyList<KeptAsk> asks, CancellationToken ct)
        {
            if (memo is not null && own is not null) return await ReadKeptAsync(conn, asks, memo, ct);
            var results = new ReadResult[asks.Count];
            for (var i = 0; i < asks.Count; i++) results[i] = await Rollup.ReadAsync(conn, asks[i].Roots, asks[i].Shape, asks[i].Year, ct);
            return results;
        }

        // A read-only transaction of the roll-up's own: rolled back, nothing to keep.
        public async ValueTask DisposeAsync()
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    /// <summary>
    /// The opening every roll-up shares (<see cref="ComputeAsync(AppDbContext, int, int, DateOnly, CancellationToken)"/>,
    /// <see cref="TotalsAsync"/>, <see cref="ChildrenAsync"/>). Inside a writing transaction: apply what it changed so far
    /// (<c>agg_flush()</c>; otherwise applied at its commit) and read in it. Otherwise read in a repeatable-read
    /// transaction of its own, so that the root's path and every statement of the read see one snapshot. Then the root's
    /// path on each as-of day (<see cref="RootsAsync"/>).
    /// </summary>
    private static async Task<Reading> OpenAsync(AppDbContext db, NpgsqlConnection conn, int unitId, int[] years, DateOnly[] asOf, CancellationToken ct, RollupMemo? memo = null)
    {
        NpgsqlTransaction? own = null;
        if (db.Database.CurrentTransaction is not null)
        {
            await using var flush = conn.CreateCommand();
            flush.CommandText = "SELECT agg_flush()";
            await flush.ExecuteNonQueryAsync(ct);
        }
        else
        {
            own = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        }
        try
        {
            return new Reading(await RootsAsync(conn, unitId, years, asOf, ct), own, memo);
        }
        catch
        {
            if (own is not null) await own.DisposeAsync();
            throw;
        }
    }

    private static Figures ToFigures(int[] v) => new()
    {
        Members = v[0], MembersWithPlan = v[1], PledgesRegistered = v[2], PledgesDone = v[3], PledgesOverdue = v[4],
        CollectiveRegistered = v[5], CollectiveDone = v[6], ModelsCollective = v[7], ModelsExemplar = v[8], ModelsRecognised = v[9],
        QuotaCollective = v[10], QuotaExemplar = v[11], Replications = v[12], Praises = v[13], Certificates = v[14], Merits = v[15],
        StudySessions = v[16], AttendancePresent = v[17], AttendanceRecorded = v[18], ProblemsRegistered = v[19], ProblemsResolved = v[20],
        LeaderTasks = v[21], LeaderTasksDone = v[22], Plans = v[23],
        GradedExcellent = v[GradeColumn], GradedGood = v[GradeColumn + 1], GradedCompleted = v[GradeColumn + 2], GradedNotCompleted = v[GradeColumn + 3],
    };
}
