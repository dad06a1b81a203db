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

        // Its own 2025 dashboard shows the trail of 2025 (where its figures count: under the ward), and says where it is
        // now; its 2026 dashboard shows today's trail. Every link of both trails opens.
        var uyBan = await app.OrgIdAsync("TQ-YS-UB");
        var past = WebUtility.HtmlDecode(await province.HtmlAsync($"/Reports/{moved}/2025"));
        var pastTrail = Trail(past);
        Assert.Equal([await app.OrgIdAsync("TQ"), await app.OrgIdAsync("TQ-TP"), ward, moved], pastTrail);
        Assert.Contains("Đường dẫn theo cây tổ chức ngày 31/12/2025; nay Chi bộ Tổ dân phố 2 thuộc ", past);
        var now = WebUtility.HtmlDecode(await province.HtmlAsync($"/Reports/{moved}/2026"));
        Assert.Equal(uyBan, Trail(now)[^2]);
        Assert.DoesNotContain("Đường dẫn theo cây tổ chức ngày", now);
        // The branch's sheets of 2025 (review, registration and results) are headed by its parent of then (the walk of
        // session 12: today's), those of 2026 by today's.
        var heads = await app.DbAsync(async db =>
        {
            var branch = await db.OrgUnits.AsNoTracking().SingleAsync(u => u.Id == moved);
            return (
                Review2025: (await HocLamTheoBac.Web.Reports.Paper.ReviewSheets.LoadAsync(db, branch, 2025, [], default)).ParentBody,
                Sheet2025: (await HocLamTheoBac.Web.Reports.Paper.BranchSheetModel.LoadAsync(db, branch, 2025, _ => "", default)).ParentBody,
                Sheet2026: (await HocLamTheoBac.Web.Reports.Paper.BranchSheetModel.LoadAsync(db, branch, 2026, _ => "", default)).ParentBody);
        });
        Assert.Equal(("Đảng ủy phường Phan Thiết", "Đảng ủy phường Phan Thiết"), (heads.Review2025, heads.Sheet2025));
        Assert.Equal(await app.DbAsync(db => db.OrgUnits.Where(u => u.Id == uyBan).Select(u => u.Name).SingleAsync()), heads.Sheet2026);
        foreach (var id in pastTrail.Concat(Trail(now)))
            foreach (var y in new[] { 2025, 2026 })
                Assert.Equal(HttpStatusCode.OK, (await province.GetAsync($"/Reports/{id}/{y}")).StatusCode);
    }

    /// <summary>The unit ids of the dashboard's breadcrumb, in order.</summary>
    private static List<int> Trail(string html) =>
        Regex.Matches(Regex.Match(html, "<ol class=\"breadcrumb\">(.*?)</ol>", RegexOptions.Singleline).Groups[1].Value, @"href=""/Reports/(\d+)/")
            .Select(m => int.Parse(m.Groups[1].Value)).ToList();
}
