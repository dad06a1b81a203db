using HocLamTheoBac.Web.Domain;
using static HocLamTheoBac.Web.Domain.AttendanceRules;

namespace HocLamTheoBac.Tests.Domain;

public sealed class AttendanceRulesTests
{
    private static readonly DateOnly March = new(2025, 3, 10);

    [Fact]
    public void A_member_who_joined_mid_year_is_expected_only_at_sessions_on_or_after_the_day_she_joined()
    {
        var joined = new Period(new DateOnly(2025, 7, 1), null);
        Assert.False(IsExpected(March, joined));
        Assert.True(IsExpected(new DateOnly(2025, 7, 1), joined));
        Assert.True(IsExpected(new DateOnly(2025, 9, 10), joined));
    }

    [Fact]
    public void A_member_who_left_is_no_longer_expected_from_the_day_his_period_ends()
    {
        var left = new Period(new DateOnly(2020, 1, 1), new DateOnly(2025, 3, 10));
        Assert.True(IsExpected(new DateOnly(2025, 3, 9), left));
        Assert.False(IsExpected(March, left));
    }

    [Fact]
    public void Excused_absences_leave_the_denominator_and_unmarked_members_count_as_absent()
    {
        var expected = Enumerable.Range(1, 10);
        var marks = new Dictionary<int, AttendanceStatus>
        {
            [1] = AttendanceStatus.Present, [2] = AttendanceStatus.Present, [3] = AttendanceStatus.Present, [4] = AttendanceStatus.Present,
            [5] = AttendanceStatus.Present, [6] = AttendanceStatus.Present, [7] = AttendanceStatus.Present,
            [8] = AttendanceStatus.Excused, [9] = AttendanceStatus.Absent,
            [42] = AttendanceStatus.Present, // not expected that day: ignored
        };
        var t = Count(expected, marks);
        Assert.Equal(new Tally(10, 7, 1, 2), t);
        Assert.Equal(9, t.Denominator);
        Assert.Equal("77,8 %", Format(t.Rate));
    }

    [Fact]
    public void A_session_where_nobody_was_expected_or_everyone_was_excused_has_no_rate()
    {
        Assert.Null(Count([], new Dictionary<int, AttendanceStatus>()).Rate);
        Assert.Null(Count([1], new Dictionary<int, AttendanceStatus> { [1] = AttendanceStatus.Excused }).Rate);
        Assert.Equal("—", Format(null));
    }

    [Fact]
    public void The_yearly_rate_pools_sessions_instead_of_averaging_their_rates()
    {
        var a = new Tally(24, 20, 2, 2);   // 20 / 22
        var b = new Tally(25, 24, 0, 1);   // 24 / 25
        Assert.Equal("93,6 %", Format((a + b).Rate)); // 44 / 47
        Assert.Equal("84,5 %", Format(new Tally(3521, 2975, 0, 546).Rate));
    }
}
