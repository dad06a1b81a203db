namespace HocLamTheoBac.Web.Data;

// Incremental aggregates (docs/adr/0018-incremental-aggregates.md). The rows are written only by the database
// functions of Data/AggregateSql.cs (triggers, the commit-time flush, agg_rebuild()); the application reads them in
// Reports/Rollup.cs. They hold counts per status, kind, level or outcome: which of those count as what stays in
// Domain/ (CountingRules.cs, the enums), applied by the roll-up in C# or, for the per-unit totals of the records,
// generated into the flush's SQL from AggregateSql.ItemRules.

/// <summary>A year for which member and pledge aggregates are kept (added when its first pledge appears).</summary>
public sealed class AggYear
{
    public int Year { get; set; }
}

/// <summary>
/// One member's contribution to <see cref="AggUnitFigure"/> for a year, so a change to that member can be
/// taken back exactly: kind 1 = the member (key = bit set of the statuses of their pledges of the year),
/// kind 2 = their pledges (key = status, <see cref="Day"/> = the deadline when it can make the pledge overdue).
/// </summary>
public sealed class AggMemberRow
{
    public int MemberId { get; set; }
    public int Year { get; set; }
    public int UnitId { get; set; }
    /// <summary>Counted on as-of days d with FromDay ≤ d &lt; ToDay (−∞/+∞ when the period covers the year's start/end).</summary>
    public DateOnly FromDay { get; set; }
    public DateOnly ToDay { get; set; }
    public short Kind { get; set; }
    public int Key { get; set; }
    public DateOnly Day { get; set; }
    public int N { get; set; }
}

/// <summary>The sum of <see cref="AggMemberRow"/> per branch, year and as-of window: what the roll-up reads.</summary>
public sealed class AggUnitFigure
{
    /// <summary>The kinds of rows (<see cref="AggMemberRow.Kind"/>): a member, or their pledges of one status.</summary>
    public const short MemberKind = 1, PledgeKind = 2;

    /// <summary>How many live pledges of the year count in the branch on the as-of day (ADR 0006: the member's branch that
    /// day, or where the pledge is kept when the member stands nowhere): the kind-2 rows of the windows holding the day,
    /// summed. No row when the branch has none. The grid of a branch larger than a page checks its pledges kept here
    /// against it (Pages/Pledges/BranchGridQuery.cs).</summary>
    public static IQueryable<int> PledgesCounted(AppDbContext db, int unitId, int year, DateOnly asOf) =>
        db.Set<AggUnitFigure>().Where(a => a.Year == year && a.UnitId == unitId && a.Kind == PledgeKind && a.FromDay <= asOf && a.ToDay > asOf)
            .GroupBy(a => a.UnitId).Select(g => g.Sum(a => a.N));

    public int UnitId { get; set; }
    public int Year { get; set; }
    public DateOnly FromDay { get; set; }
    public DateOnly ToDay { get; set; }
    public short Kind { get; set; }
    public int Key { get; set; }
    public DateOnly Day { get; set; }
    public int N { get; set; }
}

/// <summary>
/// <see cref="AggUnitFigure"/> as it stands on 31/12 of its year (the rows whose as-of window holds that day, summed):
/// what the roll-up of a past year reads — one row per branch, kind, key and deadline, however many members joined,
/// moved or left during the year (docs/adr/0018-incremental-aggregates.md, "Year-end rows").
/// </summary>
public sealed class AggUnitYearEnd
{
    public int UnitId { get; set; }
    public int Year { get; set; }
    public short Kind { get; set; }
    public int Key { get; set; }
    public DateOnly Day { get; set; }
    public int N { get; set; }
}

/// <summary>Live yearly records of a unit by item (1 collective, 2 models, 3 replications, 4 commendations, 5 study sessions, 6 problems, 7 leaders' tasks, 8 plans) and two keys.</summary>
public sealed class AggUnitItem
{
    public int UnitId { get; set; }
    public int Year { get; set; }
    public short Item { get; set; }
    public int K1 { get; set; }
    public int K2 { get; set; }
    public int N { get; set; }
}

/// <summary>
/// <see cref="AggUnitItem"/> per unit and year as the roll-up counts them: <see cref="N"/>[0] = every record (the sum of
/// the unit's item rows), then one figure per slot of <see cref="AggregateSql.TotalSlots"/> (collective pledges
/// registered and done, models, commendations, study sessions, attendance, problems, leaders' tasks, plans), counted by
/// the rules of <see cref="AggregateSql.ItemRules"/> — one row per unit instead of one per item and key
/// (docs/adr/0018-incremental-aggregates.md, "Per-unit totals"). Kept by the same flush from the same deltas.
/// </summary>
public sealed class AggUnitTotal
{
    public int UnitId { get; set; }
    public int Year { get; set; }
    public int[] N { get; set; } = [];
}

/// <summary>
/// Live members' grades (<c>member_grades</c>, not deleted) per branch that recorded them, year and level, kept by a
/// statement trigger in the writing transaction: the dashboard's grade counts sum these over the units held under the
/// unit on the as-of day instead of reading every grade of the subtree (issue 16, docs/performance.md).
/// </summary>
public sealed class AggUnitGrade
{
    public int UnitId { get; set; }
    public int Year { get; set; }
    public int Level { get; set; }
    public int N { get; set; }
}

/// <summary>A (member, year) whose contribution the writing transaction <see cref="Xid"/> must recompute at commit.</summary>
public sealed class AggPendingMember
{
    public long Xid { get; set; }
    public int MemberId { get; set; }
    public int Year { get; set; }
}

/// <summary>A change to <see cref="AggUnitItem"/> the writing transaction <see cref="Xid"/> applies at commit.</summary>
public sealed class AggPendingItem
{
    public long Xid { get; set; }
    public int UnitId { get; set; }
    public int Year { get; set; }
    public short Item { get; set; }
    public int K1 { get; set; }
    public int K2 { get; set; }
    public int N { get; set; }
}

/// <summary>One row per writing transaction: its insert queues the deferred trigger that flushes the pending changes at commit.</summary>
public sealed class AggFlushQueue
{
    public long Xid { get; set; }
}

/// <summary>
/// The members expected at a study session who stand in one branch of the holder's subtree, by their mark
/// (<see cref="Mark"/> = the attendance status, 0 = no mark), as <see cref="Domain.AttendanceRules"/> defines "expected":
/// a branch period covering the session day. <see cref="UnitId"/> and <see cref="Year"/> are the session's when counted,
/// so a change takes back exactly what was added to <see cref="AggUnitItem"/> (item 9, k1 = mark).
/// </summary>
public sealed class AggSessionRow
{
    public int SessionId { get; set; }
    public int BranchId { get; set; }
    public int Mark { get; set; }
    public int UnitId { get; set; }
    public int Year { get; set; }
    public int N { get; set; }
}

/// <summary>A (session, branch) whose expected members the writing transaction <see cref="Xid"/> recounts at commit; branch 0 = every branch of the session.</summary>
public sealed class AggPendingSession
{
    public long Xid { get; set; }
    public int SessionId { get; set; }
    public int BranchId { get; set; }
}

/// <summary>
/// A unit whose own figures of <see cref="Year"/> the writing transaction <see cref="Xid"/> may have changed (year 0: every
/// year; unit 0: everything): the change log the dashboard's kept roll-up reads (docs/adr/0027-dashboard-rollup-kept-in-the-site.md).
/// </summary>
public sealed class RollupChange
{
    public ulong Xid { get; set; }
    public int Year { get; set; }
    public int UnitId { get; set; }
}

/// <summary>The change log's rows of transactions below <see cref="W"/> may have been pruned (one row).</summary>
public sealed class RollupChangesPruned
{
    public int Id { get; set; }
    public ulong W { get; set; }
}
