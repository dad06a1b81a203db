using HocLamTheoBac.Web.Reports;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>The figures' lines of the report (its Excel sheet, the draft's table).</summary>
public sealed class FigureLineTests
{
    /// <summary>The walk of session 19: a unit without quotas read "Mô hình tập thể (chỉ tiêu 0)" in the Excel while the report's
    /// text and the models page said no quota was set; a quota summed over units was written 1200, not 1.200.</summary>
    [Fact]
    public void A_quota_is_named_only_when_one_was_set_and_written_the_Vietnamese_way()
    {
        var none = FigureLine.For(new Figures { Members = 10, ModelsCollective = 1 });
        Assert.Contains(none, l => l.Label == "Mô hình tập thể" && l.Value == 1);
        Assert.Contains(none, l => l.Label == "Điển hình cá nhân");
        Assert.DoesNotContain(none, l => l.Label.Contains("chỉ tiêu", StringComparison.Ordinal));

        var set = FigureLine.For(new Figures { Members = 10, QuotaCollective = 1200, QuotaExemplar = 3 });
        Assert.Contains(set, l => l.Label == "Mô hình tập thể (chỉ tiêu 1.200)");
        Assert.Contains(set, l => l.Label == "Điển hình cá nhân (chỉ tiêu 3)");
    }
}
