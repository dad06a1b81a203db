using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Pledges;

/// <summary>
/// The grid's rows are read-only until opened ("Sửa", "Thêm việc làm theo"), the bulk actions still refuse a row changed
/// since it was shown, and a large branch comes in pages of members with a search (docs/performance.md, "Grid, read-only rows").
/// </summary>
public sealed class PledgeGridRowsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static int Y => PledgeData.Year;

    [Fact]
    public async Task Rows_are_text_until_opened_and_only_a_row_the_secretary_may_edit_opens()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var open = await app.AddPledgeAsync(m[5].Id, PledgeStatus.Submitted, "Dòng mở để sửa");
        var done = await app.AddPledgeAsync(m[6].Id, PledgeStatus.Done, "Dòng đã hoàn thành");
        var client = await app.SignedInAsync("bithu@hlb.local");

        var grid = await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}");
        Assert.DoesNotContain($"id=\"c-{open}\"", grid);
        Assert.DoesNotContain($"id=\"nc-{m[5].Id}\"", grid);
        Assert.Contains($"open={open}#p-{open}", grid);
        Assert.DoesNotContain($"open={done}", grid);
        Assert.Contains($"add={m[5].Id}#m-{m[5].Id}", grid);
        Assert.Contains("id=\"edit-tpl\"", grid);

        // Without script the links reload the grid with the row's editor open; a done pledge has none.
        var opened = await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}&open={open}&open={done}&add={m[5].Id}");
        Assert.Matches($"<textarea id=\"c-{open}\" name=\"Input.Edit\\[0\\].Content\"", opened);
        Assert.DoesNotContain($"id=\"c-{done}\"", opened);
        Assert.Matches($"<textarea id=\"nc-{m[5].Id}\" name=\"Input.New\\[0\\].Content\"", opened);

        // The opened row saves as before.
        var version = (await app.PledgeAsync(open)).Version;
        var r = await client.PostFormAsync($"/Pledges/Branch/{tdp1}?year={Y}&handler=Save", new()
        {
            ["Input.Edit[0].Id"] = open.ToString(), ["Input.Edit[0].Version"] = version.ToString(), ["Input.Edit[0].Editable"] = "true",
            ["Input.Edit[0].Content"] = "Dòng đã sửa sau khi mở", ["Input.Edit[0].Deadline"] = $"31/12/{Y}",
        }, $"/Pledges/Branch/{tdp1}?year={Y}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("Dòng đã sửa sau khi mở", (await app.PledgeAsync(open)).Content);
    }

    /// <summary>Each "Sửa" and "Thêm" link is the grid's own address (year, filter, search and page kept, editors already open
    /// kept once) with one more editor: written by BranchGridRows from the page's link encoded once (session 9).</summary>
    [Fact]
    public async Task The_editors_links_keep_the_filter_search_and_open_editors_each_once()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var a = await app.AddPledgeAsync(m[10].Id, PledgeStatus.Submitted, "Liên kết mở thứ nhất");
        var b = await app.AddPledgeAsync(m[11].Id, PledgeStatus.Submitted, "Liên kết mở thứ hai");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var q = Uri.EscapeDataString(m[11].Name);

        var grid = await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}&filter=Submitted&q={q}&open={a}&open={a}&add={m[10].Id}");
        // Relative to the page (its path is the grid's after a GET and after a post): "?year=…".
        var head = $"?year={Y}&amp;filter=Submitted&amp;q={q}&amp;open={a}";
        Assert.Contains($"<a href=\"{head}&amp;open={b}&amp;add={m[10].Id}#p-{b}\" class=\"btn btn-link btn-sm edit-row\">", grid);
        Assert.Contains($"<a href=\"{head}&amp;add={m[10].Id}&amp;add={m[11].Id}#m-{m[11].Id}\" class=\"add-row small\"", grid);

        // The same links without a filter or search: the year, then the editors.
        var plain = await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}&add={m[11].Id}&add={m[11].Id}");
        Assert.Contains($"<a href=\"?year={Y}&amp;open={a}&amp;add={m[11].Id}#p-{a}\"", plain);
        Assert.Contains($"<a href=\"?year={Y}&amp;add={m[11].Id}&amp;add={m[10].Id}#m-{m[10].Id}\"", plain);
        Assert.DoesNotContain($"add={m[11].Id}&amp;add={m[11].Id}", plain);
    }

    /// <summary>The rows are written by BranchGridRows, not the template: each text is encoded once, in its own cell.</summary>
    [Fact]
    public async Task Every_text_of_a_row_is_shown_encoded_in_its_own_cell()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        const string raw = "<b>\"Sạch\" & đẹp</b>";
        const string shown = "&lt;b&gt;&quot;Sạch&quot; &amp; đẹp&lt;/b&gt;";
        var id = await app.AddPledgeAsync(m[7].Id, PledgeStatus.Returned, "Nội dung " + raw);
        await app.DbAsync(async db =>
        {
            var p = await db.Pledges.SingleAsync(x => x.Id == id);
            (p.Solution, p.Reason, p.EvidenceNote) = ("Giải pháp " + raw, "Lý do " + raw, "Kết quả " + raw);
            return await db.SaveChangesAsync();
        });
        var client = await app.SignedInAsync("bithu@hlb.local");

        var grid = await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}");
        Assert.Contains($"<td class=\"g-c\" id=\"pc-{id}\">Nội dung {shown}</td><td class=\"g-s\">Giải pháp {shown}</td>", grid);
        Assert.Contains($"<span class=\"small d-block\">Lý do: Lý do {shown}</span><span class=\"small d-block\">Kết quả: Kết quả {shown}</span>", grid);
        Assert.Contains($"aria-labelledby=\"g-sel pc-{id} g-of mn-{m[7].Id}\"", grid);
        Assert.DoesNotContain(raw, grid);
    }

    [Fact]
    public async Task A_bulk_action_refuses_a_row_changed_since_the_grid_was_shown_by_the_versions_posted_with_it()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var a = await app.AddPledgeAsync(m[7].Id, PledgeStatus.Submitted, "Dòng sẽ bị người khác sửa");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var url = $"/Pledges/Branch/{tdp1}?year={Y}";
        var grid = await client.HtmlAsync(url);
        var shown = Regex.Match(grid, "name=\"Input.Versions\" value=\"([^\"]*)\"").Groups[1].Value;
        Assert.Contains($"{a}:{(await app.PledgeAsync(a)).Version}", shown);

        // Someone else changes the pledge after the grid was shown.
        await app.DbAsync(async db => { (await db.Pledges.SingleAsync(p => p.Id == a)).Content = "Bản của người khác"; return await db.SaveChangesAsync(); });
        var refused = await client.PostFormAsync(url + "&handler=Bulk", new() { ["Input.Action"] = "Approve", ["Input.Selected"] = a.ToString(), ["Input.Versions"] = shown }, url);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(PledgeStatus.Submitted, (await app.PledgeAsync(a)).Status);

        var fresh = Regex.Match(await client.HtmlAsync(url), "name=\"Input.Versions\" value=\"([^\"]*)\"").Groups[1].Value;
        var approved = await client.PostFormAsync(url + "&handler=Bulk", new() { ["Input.Action"] = "Approve", ["Input.Selected"] = a.ToString(), ["Input.Versions"] = fresh }, url);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal(PledgeStatus.Approved, (await app.PledgeAsync(a)).Status);
    }

    [Fact]
    public async Task A_large_branch_comes_in_pages_of_members_every_member_is_reached_by_page_or_search_and_a_save_stays_on_its_page()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var before = await app.DbAsync(db => db.Members.CountAsync(x => x.BranchId == tdp2 && x.Status == MemberStatus.Active));
        await app.DbAsync(async db =>
        {
            for (var i = 1; i <= 120; i++) db.Members.Add(new Member { FullName = $"Đặng Thị Trang Số {i:000}", BranchId = tdp2 });
            return await db.SaveChangesAsync();
        });
        var total = before + 120;
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var url = $"/Pledges/Branch/{tdp2}?year={Y}";

        var first = await client.HtmlAsync(url);
        Assert.Equal(BranchModel.MembersPerPage, Regex.Matches(first, "<tbody class=\"member-group\"").Count);
        Assert.Contains($"Trang 1/{(total + BranchModel.MembersPerPage - 1) / BranchModel.MembersPerPage}", first);
        Assert.Contains($"href=\"/Pledges/Branch/{tdp2}?year={Y}&amp;pg=2\"", first);
        var second = await client.HtmlAsync(url + "&pg=2");
        Assert.Equal(total - BranchModel.MembersPerPage, Regex.Matches(second, "<tbody class=\"member-group\"").Count);

        // The search folds diacritics and case, and keeps the page's links to itself.
        var found = await client.HtmlAsync(url + "&q=" + Uri.EscapeDataString("dang thi trang so 117"));
        Assert.Single(Regex.Matches(found, "<tbody class=\"member-group\""));
        Assert.Matches("<span id=\"mn-\\d+\">Đặng Thị Trang Số 117</span>", found);

        // A save posted from page 2 comes back to page 2, search and filter kept.
        var target = await app.DbAsync(db => db.Members.Where(x => x.BranchId == tdp2 && x.FullName == "Đặng Thị Trang Số 120").Select(x => x.Id).SingleAsync());
        var r = await client.PostFormAsync($"{url}&q=trang&pg=2&handler=Save", new()
        {
            ["Input.New[0].MemberId"] = target.ToString(), ["Input.New[0].Content"] = "Trồng cây ở trang hai",
        }, $"{url}&q=trang&pg=2");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var back = r.Headers.Location?.OriginalString ?? "";
        Assert.StartsWith($"/Pledges/Branch/{tdp2}?", back);
        Assert.Contains("q=trang", back);
        Assert.Contains("pg=2", back);
    }

    /// <summary>The "Sửa" and "Thêm" links are written relative to the page ("?year=…&amp;open=…#p-…", session 19): resolved as a
    /// browser resolves them — against the grid's address after a GET, and against the post's address when a refused post shows
    /// the grid again — each opens its own row's editor on its own page (page 2 here), and its hint link leads to the legend.</summary>
    [Fact]
    public async Task Without_script_the_relative_links_of_a_row_on_page_2_open_that_rows_editor_after_a_get_and_after_a_refused_post()
    {
        var tdp5 = await app.TwoPageBranchAsync();
        var client = await app.SignedInAsync(PledgeData.TwoPageSecretary);
        var url = $"/Pledges/Branch/{tdp5}?year={Y}&pg=2";
        var member = int.Parse(Regex.Match(await client.HtmlAsync(url), "<tbody class=\"member-group\" id=\"m-(\\d+)\">").Groups[1].Value);
        var id = await app.AddPledgeAsync(member, PledgeStatus.Submitted, "Thực hiện tốt nhiệm vụ được giao");
        await app.DbAsync(db => db.Pledges.Where(p => p.Id == id).ExecuteUpdateAsync(x => x.SetProperty(p => p.Solution, (string?)null)));

        var page = await client.HtmlAsync(url);
        Assert.Contains("Trang 2/", page);
        var row = Regex.Match(page, $"<tr[^>]* id=\"p-{id}\"[^>]*>.*?</tr>", RegexOptions.Singleline).Value;
        var edit = Regex.Match(row, "<a href=\"([^\"]*)\" class=\"btn btn-link btn-sm edit-row\">").Groups[1].Value;
        var group = Regex.Match(page, $"<tbody class=\"member-group\" id=\"m-{member}\">.*?</tr>", RegexOptions.Singleline).Value;
        var add = Regex.Match(group, "<a href=\"([^\"]*)\" class=\"add-row small\">").Groups[1].Value;
        Assert.StartsWith("?", edit);
        Assert.StartsWith("?", add);
        // The row's hint link leads to the legend's item of its hint, on the same page.
        var hint = Regex.Match(row, "<a href=\"#(hint-\\d+)\" class=\"badge text-bg-warning\" aria-labelledby=\"g-h-\\d+ pc-" + id + " g-of mn-" + member + "\">").Groups[1].Value;
        Assert.Equal("hint-3", hint);
        Assert.Contains($"<li id=\"{hint}\">", page);
        Assert.Contains($"<span id=\"mn-{member}\">", page);

        // Resolved against the page's address (as a browser does), each opens its own row's editor, page 2 kept.
        var site = new Uri("http://localhost");
        string Resolve(string document, string href) => new Uri(new Uri(site, document), WebUtility.HtmlDecode(href)).PathAndQuery;
        var opened = await client.HtmlAsync(Resolve(url, edit));
        Assert.Matches($"<textarea id=\"c-{id}\" name=\"Input.Edit\\[0\\].Content\"", opened);
        Assert.Contains("Trang 2/", opened);
        var added = await client.HtmlAsync(Resolve(url, add));
        Assert.Matches($"<textarea id=\"nc-{member}\" name=\"Input.New\\[0\\].Content\"", added);
        Assert.Contains("Trang 2/", added);

        // A refused post shows the grid at the post's address (…&handler=Save): its links resolve to the grid, not the handler.
        var post = $"{url}&handler=Save";
        var refused = await client.PostFormAsync(post, new()
        {
            ["Input.New[0].MemberId"] = member.ToString(), ["Input.New[0].Content"] = "Trồng cây", ["Input.New[0].Deadline"] = "31/02/" + Y,
        }, url);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var shown = await refused.Content.ReadAsStringAsync();
        var again = Regex.Match(Regex.Match(shown, $"<tr[^>]* id=\"p-{id}\"[^>]*>.*?</tr>", RegexOptions.Singleline).Value, "<a href=\"([^\"]*)\" class=\"btn btn-link btn-sm edit-row\">").Groups[1].Value;
        var target = Resolve(post, again);
        Assert.StartsWith($"/Pledges/Branch/{tdp5}?year={Y}", target);
        Assert.DoesNotContain("handler=", target);
        Assert.Matches($"<textarea id=\"c-{id}\"", await client.HtmlAsync(target));
    }
}
