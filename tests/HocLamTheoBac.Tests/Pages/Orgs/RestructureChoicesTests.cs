using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Orgs;

/// <summary>
/// The restructuring page offers the likely targets in a list (the walk of session 12: the target had to be known by its
/// code): units near the one restructured, within the viewer's subtree only, by the rules the post checks.
/// </summary>
public sealed class RestructureChoicesTests(RestructureChoicesTests.Site app) : IClassFixture<RestructureChoicesTests.Site>
{
    public sealed class Site : AppFactory;

    private async Task<(List<string> Move, List<string> Merge)> ChoicesAsync(HttpClient client, string code)
    {
        var id = await app.OrgIdAsync(code);
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.HtmlAsync($"/Orgs/Restructure/{id}"));
        // Each form's field names its list, and the list exists (a list attribute naming nothing offers nothing).
        foreach (var input in doc.QuerySelectorAll("input[name='Input.TargetCode']"))
            Assert.NotNull(doc.GetElementById(input.GetAttribute("list")!));
        List<string> Options(string list) => doc.GetElementById(list)!.QuerySelectorAll("option").Select(o => o.GetAttribute("value")!).ToList();
        return (Options(doc.QuerySelector("#move-target")!.GetAttribute("list")!), Options(doc.QuerySelector("#merge-target")!.GetAttribute("list")!));
    }

    [Fact]
    public async Task A_city_administrator_is_offered_the_units_near_a_branch_within_the_city_and_a_ward_administrator_only_the_ward()
    {
        await app.CreateAccountAsync("qtv.tp.chon@hlb.local", AppRole.Admin, "TQ-TP");
        await app.CreateAccountAsync("qtv.pt.chon@hlb.local", AppRole.Admin, "TQ-TP-PT");
        var units = await app.DbAsync(db => db.OrgUnits.Where(u => u.ClosedOn == null).Select(u => new { u.Code, u.Path, u.Kind.IsBranch }).ToListAsync());
        bool Under(string code, string root)
        {
            var (p, r) = (units.Single(u => u.Code == code).Path.ToString(), units.Single(u => u.Code == root).Path.ToString());
            return p == r || p.StartsWith(r + ".");
        }

        var (move, merge) = await ChoicesAsync(await app.SignedInAsync("qtv.tp.chon@hlb.local"), "TQ-TP-PT-TDP1");
        // A move: units that may hold units, under the branch's grandparent (the city), not today's parent.
        Assert.Contains("TQ-TP-MX", move);
        Assert.Contains("TQ-TP", move);
        Assert.DoesNotContain("TQ-TP-PT", move);
        Assert.All(move, c => Assert.False(units.Single(u => u.Code == c).IsBranch, c));
        // A merge or a closing: other branches, never the branch itself.
        Assert.Contains("TQ-TP-PT-TDP2", merge);
        Assert.Contains("TQ-TP-MX-TDP5", merge);
        Assert.DoesNotContain("TQ-TP-PT-TDP1", merge);
        Assert.All(merge, c => Assert.True(units.Single(u => u.Code == c).IsBranch, c));
        Assert.All(move.Concat(merge), c => Assert.True(Under(c, "TQ-TP"), $"{c} lies outside the city"));

        // The ward's administrator: the same page offers nothing outside the ward (the city's other ward, the city).
        (move, merge) = await ChoicesAsync(await app.SignedInAsync("qtv.pt.chon@hlb.local"), "TQ-TP-PT-TDP1");
        Assert.Equal(["TQ-TP-PT-TDP2"], merge);
        Assert.Empty(move);

        // An offered code is accepted by the form: a move of the branch to the other ward.
        var client = await app.SignedInAsync("qtv.tp.chon@hlb.local");
        var id = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var r = await client.PostFormAsync($"/Orgs/Restructure/{id}?handler=Move", new() { ["Input.TargetCode"] = "TQ-TP-MX", ["Input.EffectiveOn"] = TestClock.Today.ToString("yyyy-MM-dd") }, getUrl: $"/Orgs/Restructure/{id}");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, r.StatusCode);
        Assert.True(await app.DbAsync(db => db.OrgUnits.AnyAsync(u => u.Code == "TQ-TP-PT-TDP1" && u.Parent!.Code == "TQ-TP-MX")));
    }
    /// <summary>The walk of session 13: a refused date was copied into all three forms, not marked, and the focus went to the
    /// code; every message showed twice; the merge's question did not name the unit typed.</summary>
    [Fact]
    public async Task A_refused_date_is_marked_and_focused_in_its_own_form_only_and_the_merge_question_names_the_typed_unit()
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        var id = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var today = TestClock.Today.ToString("dd/MM/yyyy");
        var r = await admin.PostFormAsync($"/Orgs/Restructure/{id}?handler=Move", new() { ["Input.TargetCode"] = "TQ-TP-MX", ["Input.EffectiveOn"] = "31/02/2026" }, getUrl: $"/Orgs/Restructure/{id}");
        Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode);
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await r.Content.ReadAsStringAsync());
        var date = doc.QuerySelector("#move-date")!;
        Assert.Equal("31/02/2026", date.GetAttribute("value"));
        Assert.Contains("is-invalid", date.ClassName);
        Assert.True(date.HasAttribute("autofocus"));
        Assert.Equal("move-errors", date.GetAttribute("aria-describedby"));
        Assert.Contains("31/02/2026", doc.GetElementById("move-errors")!.TextContent);
        var code = doc.QuerySelector("#move-target")!;
        Assert.Equal("TQ-TP-MX", code.GetAttribute("value"));
        Assert.False(code.HasAttribute("autofocus"));
        Assert.DoesNotContain("is-invalid", code.ClassName);
        Assert.Equal(today, doc.QuerySelector("#merge-date")!.GetAttribute("value"));
        Assert.Equal(today, doc.QuerySelector("#close-date")!.GetAttribute("value"));
        Assert.Single(doc.QuerySelectorAll("[autofocus]"));
        Assert.Empty(doc.QuerySelectorAll(".alert-danger"));

        // The questions name the boxes whose value they show ({#id}: site.js), and those boxes exist with their lists.
        foreach (var button in doc.QuerySelectorAll("button[data-confirm]"))
        {
            var box = System.Text.RegularExpressions.Regex.Match(button.GetAttribute("data-confirm")!, "\\{#([\\w-]+)\\}").Groups[1].Value;
            Assert.NotNull(doc.GetElementById(doc.GetElementById(box)!.GetAttribute("list")!));
        }
    }
}
