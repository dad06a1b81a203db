using System.Globalization;
using AngleSharp.Html.Parser;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Users;

/// <summary>The administrator's list of accounts: by unit, then by name the Vietnamese way; paged; searched without accents.</summary>
public sealed class AccountListTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly string[] Names =
        ["Trần Văn Bình", "Nguyễn Thị Hoa", "Lê Văn An", "Đặng Thị Bích", "Phạm Minh Đức", "Hoàng Văn Dũng", "Vũ Thị Ánh", "Đỗ Văn Cường"];

    private static readonly string[] Units = ["TQ-TP-PT-TDP2", "TQ-TP-PT-TDP1", "TQ", "TQ-TP"];

    private static List<string> Emails(AngleSharp.Dom.IDocument doc) =>
        doc.QuerySelectorAll("table tbody tr td:first-child").Select(td => td.TextContent.Trim().Split(' ')[0]).ToList();

    [Fact]
    public async Task Accounts_are_listed_by_unit_then_by_name_fifty_a_page_and_the_search_keeps_its_pages()
    {
        for (var i = 0; i < 56; i++)
        {
            var id = await app.CreateAccountAsync($"tk{i:00}@hlb.local", AppRole.Secretary, Units[i % Units.Length]);
            var name = Names[i % Names.Length] + (i >= Names.Length ? $" {(char)('A' + i / Names.Length)}" : "");
            await app.DbAsync(async db => { var u = await db.Users.SingleAsync(x => x.Id == id); u.FullName = name; await db.SaveChangesAsync(); });
        }
        var root = await app.DbAsync(db => db.OrgUnits.Where(u => u.Code == "TQ").Select(u => u.Path).SingleAsync());
        var vi = StringComparer.Create(CultureInfo.GetCultureInfo("vi-VN"), false);
        var expected = (await app.DbAsync(db => db.RoleBindings.Where(b => b.OrgUnit.Path.IsDescendantOf(root))
                .Join(db.Users, b => b.UserId, u => u.Id, (b, u) => new { u.Email, u.FullName, Unit = b.OrgUnit.Name }).ToListAsync()))
            .GroupBy(x => x.Email!)
            .Select(g => (Email: g.Key, g.First().FullName, Unit: g.Select(x => x.Unit).Min(vi)!))
            .OrderBy(x => x.Unit, vi).ThenBy(x => x.FullName, VietnameseText.NameComparer).ThenBy(x => x.Email, StringComparer.Ordinal)
            .Select(x => x.Email).ToList();
        Assert.True(expected.Count > 56);

        var admin = await app.SignedInAsync("admin@hlb.local");
        var first = new HtmlParser().ParseDocument(await admin.HtmlAsync("/Users"));
        var shown = Emails(first);
        Assert.Equal(50, shown.Count);
        var pages = first.QuerySelectorAll(".pagination a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Contains("/Users?q=&p=2", pages);
        for (var p = 2; p <= (expected.Count + 49) / 50; p++)
            shown.AddRange(Emails(new HtmlParser().ParseDocument(await admin.HtmlAsync($"/Users?p={p}"))));
        Assert.Equal(expected, shown);

        // Searched without accents, still in the same order, and the pages keep the search.
        var nguyen = new HtmlParser().ParseDocument(await admin.HtmlAsync("/Users?q=nguyen"));
        var found = Emails(nguyen);
        Assert.True(found.Count >= 7, string.Join(", ", found));
        Assert.Equal(expected.Where(found.Contains), found);
        Assert.Empty(nguyen.QuerySelectorAll(".pagination"));
    }
}
