using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Tests.Domain;

public sealed class QuotaAndProblemRulesTests
{
    [Theory]
    [InlineData(1, 2, 1, 2, false)]
    [InlineData(3, 4, 1, 2, false)]
    [InlineData(0, 2, 1, 2, true)]
    [InlineData(1, 1, 1, 2, true)]
    public void A_unit_is_short_when_either_count_is_below_its_minimum(int collective, int exemplar, int minC, int minE, bool isShort) =>
        Assert.Equal(isShort, QuotaRules.IsShort(collective, exemplar, minC, minE));

    [Fact]
    public void A_unit_without_a_quota_is_never_short() => Assert.False(QuotaRules.IsShort(0, 0, null, null));

    [Fact]
    public void A_model_marked_not_achieved_does_not_count_towards_the_quota()
    {
        Assert.False(QuotaRules.Counts(ExemplaryModelStatus.NotAchieved));
        Assert.True(QuotaRules.Counts(ExemplaryModelStatus.Building));
    }

    [Fact]
    public void A_pressing_problem_past_its_deadline_is_overdue_until_it_is_resolved()
    {
        var today = new DateOnly(2025, 6, 1);
        var yesterday = today.AddDays(-1);
        Assert.True(ProblemRules.IsOverdue(yesterday, ProblemOutcome.Open, today));
        Assert.True(ProblemRules.IsOverdue(yesterday, ProblemOutcome.Partly, today));
        Assert.False(ProblemRules.IsOverdue(yesterday, ProblemOutcome.Resolved, today));
        Assert.False(ProblemRules.IsOverdue(today, ProblemOutcome.Open, today));
        Assert.False(ProblemRules.IsOverdue(null, ProblemOutcome.Open, today));
    }
}
