using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Reports;

/// <summary>The dashboard counts as of each request (ADR 0018): no cache stands between an approval and the figures.</summary>
public sealed class DashboardFreshnessTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static string PledgeFigure(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "data-figure=\"pledges\">([^<]*)<").Groups[1].Value);

    [Fact]
    public async Task A_pledge_verified_a_moment_ago_is_counted_on_the_next_view_of_the_dashboard()
    {
        var year = TestClock.Year;
        var province = await app.OrgIdAsync("TQ");
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        Assert.Equal("—", PledgeFigure(await client.HtmlAsync($"/Reports/{province}/{year}")));

        await app.DbAsync(async db =>
        {
            var member = await db.Members.FirstAsync(m => m.Branch.Code == "TQ-TP-PT-TDP1");
            db.Pledges.Add(new Pledge { MemberId = member.Id, BranchId = member.BranchId, Year = year, Content = "Việc làm theo mới", Status = PledgeStatus.Done });
            await db.SaveChangesAsync();
        });

        var again = WebUtility.HtmlDecode(await client.HtmlAsync($"/Reports/{province}/{year}"));
        Assert.Equal("100,0\u00A0% (1/1)", PledgeFigure(again));
        Assert.DoesNotContain("cập nhật tối đa", again);
    }
}
