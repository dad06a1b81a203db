using System.Linq.Expressions;

namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// Which pledge statuses count as what (docs/adr/0006). The roll-up SQL, the secretary's grid, the pledge
/// lists, the drill-down, the dashboard, the merge and the imports all take their sets from here; SQL
/// receives them as parameters (<see cref="Sql"/>), never as literals.
/// </summary>
public static class PledgeSets
{
    /// <summary>Đã đăng ký: submitted to the branch and not sent back (a draft was never submitted; a returned one must be resubmitted).</summary>
    public static readonly PledgeStatus[] Registered =
        [PledgeStatus.Submitted, PledgeStatus.Approved, PledgeStatus.InProgress, PledgeStatus.ReportedDone, PledgeStatus.Done, PledgeStatus.NotDone];

    /// <summary>Hoàn thành: verified by the branch. "Reported done" is not done until the secretary verifies it.</summary>
    public static readonly PledgeStatus[] Done = [PledgeStatus.Done];

    /// <summary>Final: the branch has judged it (done or not done); nothing changes it any more.</summary>
    public static readonly PledgeStatus[] Final = [PledgeStatus.Done, PledgeStatus.NotDone];

    /// <summary>Still to be carried out by the member: not final and not waiting for verification.</summary>
    public static readonly PledgeStatus[] Open =
        [PledgeStatus.Draft, PledgeStatus.Submitted, PledgeStatus.Approved, PledgeStatus.Returned, PledgeStatus.InProgress];

    /// <summary>What the report counts as quá hạn once the deadline has passed: registered and still open.</summary>
    public static readonly PledgeStatus[] CanBeOverdue = Registered.Intersect(Open).ToArray();

    /// <summary>Waiting for the secretary: to approve, or to verify.</summary>
    public static readonly PledgeStatus[] Waiting = [PledgeStatus.Submitted, PledgeStatus.ReportedDone];

    public static bool IsRegistered(PledgeStatus s) => Registered.Contains(s);
    public static bool IsOpen(PledgeStatus s) => Open.Contains(s);

    /// <summary>Overdue on <paramref name="on"/>: registered, still open, deadline before that day.</summary>
    public static bool IsOverdue(PledgeStatus s, DateOnly? deadline, DateOnly on) => deadline is { } d && d < on && CanBeOverdue.Contains(s);

    /// <summary>A set as the integer array the database stores (for a SQL parameter).</summary>
    public static int[] Sql(IEnumerable<PledgeStatus> set) => set.Select(s => (int)s).ToArray();
}

/// <summary>Who belongs to a branch on a date, and where a member's pledges of a year are counted (docs/adr/0006).</summary>
public static class Membership
{
    /// <summary>A branch period covers a day when it started on or before it and had not ended (ValidTo is the first day away).</summary>
    public static bool Covers(DateOnly validFrom, DateOnly? validTo, DateOnly on) => validFrom <= on && (validTo is null || validTo > on);

    /// <summary>The same rule for EF queries.</summary>
    public static Expression<Func<MemberBranchPeriod, bool>> CoversDate(DateOnly on) =>
        p => p.ValidFrom <= on && (p.ValidTo == null || p.ValidTo > on);

    /// <summary>The same rule with the day as the lambda's second parameter, for a compiled query whose parameter the day is
    /// (the grid's roster, Pages/Pledges/BranchGridQuery.cs). The three forms are checked to agree (MembershipRulesTests).</summary>
    public static readonly Expression<Func<MemberBranchPeriod, DateOnly, bool>> CoversOn =
        (p, on) => p.ValidFrom <= on && (p.ValidTo == null || p.ValidTo > on);

    /// <summary>
    /// The branch whose figures a member's pledge of a year counts in: the branch where the member stands on the
    /// as-of day (31/12, or today while the year is under way), so members and their pledges always count in the same
    /// branch, whatever transfers and mergers happened during the year. A member who stands nowhere that day (left the
    /// Party during the year) counts where the pledge is kept (<see cref="Pledge.BranchId"/>: the branch they left from,
    /// or its successor after a merger).
    /// </summary>
    public static int CountedIn(int? standsIn, int keptIn) => standsIn ?? keptIn;
}

/// <summary>Has a personal plan (có kế hoạch cá nhân): a counted member with at least one registered pledge of the year.</summary>
public static class PlanRules
{
    public static bool HasPlan(IEnumerable<PledgeStatus> pledgesOfYear) => pledgesOfYear.Any(PledgeSets.IsRegistered);
}
