using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Reports;

public sealed class CachedDashboard : AppFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder) => builder.UseSetting("Reports:DashboardCacheSeconds", "300");
}

/// <summary>The dashboard may be a few seconds behind and says so; the report itself always counts afresh.</summary>
public sealed class DashboardCacheTests(CachedDashboard app) : IClassFixture<CachedDashboard>
{
    private static string PledgeFigure(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "data-figure=\"pledges\">([^<]*)<").Groups[1].Value);

    [Fact]
    public async Task A_dashboard_seen_again_within_its_lifetime_keeps_its_figures_while_the_draft_report_counts_the_new_pledge()
    {
        var year = TestClock.Year;
        var province = await app.OrgIdAsync("TQ");
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var first = await client.HtmlAsync($"/Reports/{province}/{year}");
        Assert.Equal("—", PledgeFigure(first));
        Assert.Contains("cập nhật tối đa 300 giây", WebUtility.HtmlDecode(first));

        await app.DbAsync(async db =>
        {
            var member = await db.Members.FirstAsync(m => m.Branch.Code == "TQ-TP-PT-TDP1");
            db.Pledges.Add(new Pledge { MemberId = member.Id, BranchId = member.BranchId, Year = year, Content = "Việc làm theo mới", Status = PledgeStatus.Done });
            await db.SaveChangesAsync();
        });

        Assert.Equal("—", PledgeFigure(await client.HtmlAsync($"/Reports/{province}/{year}")));
        var draft = WebUtility.HtmlDecode(await client.HtmlAsync($"/Reports/Draft/{province}/{year}"));
        Assert.Contains("100,0\u00A0%", draft);
    }
}
