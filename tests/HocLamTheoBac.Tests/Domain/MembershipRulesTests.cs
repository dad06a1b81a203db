using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Tests.Domain;

/// <summary>The rule "a branch period covers a day" has three forms (in memory, an EF predicate of a day, an EF predicate with
/// the day as a parameter for the grid's compiled roster): they must agree on every kind of period.</summary>
public sealed class MembershipRulesTests
{
    public static TheoryData<string, string?, string> Periods => new()
    {
        { "2026-01-01", null, "2026-06-30" },          // open, started before
        { "2026-06-30", null, "2026-06-30" },          // starts that day
        { "2026-07-01", null, "2026-06-30" },          // starts the day after
        { "2026-01-01", "2026-06-30", "2026-06-30" },  // ValidTo is the first day away
        { "2026-01-01", "2026-07-01", "2026-06-30" },  // ends the day after
        { "2025-01-01", "2025-12-31", "2026-06-30" },  // ended before
    };

    [Theory]
    [MemberData(nameof(Periods))]
    public void The_three_forms_of_covers_agree(string from, string? to, string on)
    {
        var period = new MemberBranchPeriod { ValidFrom = DateOnly.Parse(from), ValidTo = to is null ? null : DateOnly.Parse(to) };
        var day = DateOnly.Parse(on);
        var expected = Membership.Covers(period.ValidFrom, period.ValidTo, day);
        Assert.Equal(expected, Membership.CoversDate(day).Compile()(period));
        Assert.Equal(expected, Membership.CoversOn.Compile()(period, day));
    }
}
