using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Reports;

/// <summary>
/// Found by both walks of session 11: a past year's dashboard lists the children of that year's tree, and one that has
/// since moved out of the viewer's subtree was a link answering 404. Its row stays (the year's figures), without a link.
/// </summary>
public sealed class DashboardAfterMoveTests(DashboardAfterMoveTests.Site app) : IClassFixture<DashboardAfterMoveTests.Site>
{
    /// <summary>A database of its own: the test moves a branch.</summary>
    public sealed class Site : AppFactory;

    [Fact]
    public async Task A_child_moved_out_of_the_viewer_s_subtree_keeps_its_past_row_without_a_link_and_every_link_opens()
    {
        var ward = await app.OrgIdAsync("TQ-TP-PT");
        var moved = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        await app.DbAsync(async db =>
        {
            var unit = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == moved);
            var target = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == "TQ-YS-UB");
            Assert.Null(await Restructuring.MoveAsync(db, unit, target, db.Clock.Today, default));
        });
        var city = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var html = WebUtility.HtmlDecode(await city.HtmlAsync($"/Reports/{ward}/2025"));
        Assert.Contains("Chi bộ Tổ dân phố 2 <span class=\"small text-muted\">(nay không thuộc phạm vi của bạn)</span>", html);
        Assert.DoesNotContain($"href=\"/Reports/{moved}/", html);
        var links = Regex.Matches(html, "href=\"(/Reports/\\d+/\\d+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains($"/Reports/{await app.OrgIdAsync("TQ-TP-PT-TDP1")}/2025", links);
        foreach (var link in links) Assert.Equal(HttpStatusCode.OK, (await city.GetAsync(link)).StatusCode);

        // The province's staff still reach it: a link.
        var province = await app.SignedInAsync("tuyengiao@hlb.local");
        Assert.Contains($"href=\"/Reports/{moved}/2025\"", await province.HtmlAsync($"/Reports/{ward}/2025"));
    }
}
