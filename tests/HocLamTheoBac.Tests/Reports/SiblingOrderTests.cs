using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>
/// The walk of session 19: the dashboard listed a unit's children by code, the report's annex by the order the units were
/// created, so a branch added later with an earlier code stood first on one and last on the other.
/// </summary>
public sealed class SiblingOrderTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task The_dashboard_and_the_report_s_annex_list_a_unit_s_children_in_the_same_order()
    {
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var year = TestClock.Today.Year;
        await app.DbAsync(async db =>
        {
            var parent = await db.OrgUnits.SingleAsync(u => u.Id == pt);
            var kind = await db.OrgKinds.Where(k => k.Code == "chi-bo-truc-thuoc").Select(k => k.Id).SingleAsync();
            await db.AddUnitAsync(parent, kind, "TQ-TP-PT-A0", "Chi bộ Khu phố mới lập", new DateOnly(2020, 1, 1), CancellationToken.None);
            await db.SaveChangesAsync();
        });
        var annex = await app.DbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Id == pt);
            var draft = await YearEndReports.DraftAsync(db, unit, year, CancellationToken.None);
            var model = await YearEndReports.ModelAsync(db, unit, draft, TestClock.Today, CancellationToken.None);
            return model.Annex.Where(r => r.Level == 1).Select(r => r.Code).ToList();
        });
        Assert.Equal("TQ-TP-PT-A0", annex[0]);
        Assert.Equal(annex.OrderBy(c => c, StringComparer.Ordinal), annex);

        var names = await app.DbAsync(db => db.OrgUnits.Where(u => annex.Contains(u.Code)).ToDictionaryAsync(u => u.Code, u => u.Name));
        var html = System.Net.WebUtility.HtmlDecode(await (await app.SignedInAsync("admin@hlb.local")).HtmlAsync($"/Reports/{pt}/{year}"));
        var shown = annex.Select(c => html.IndexOf(names[c], StringComparison.Ordinal)).ToList();
        Assert.All(shown, i => Assert.True(i > 0));
        Assert.Equal(shown.Order(), shown);
    }
}
