using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Pledges;

/// <summary>The grid never loses work: bulk actions carry the row edits, refusals keep them and say whose row is wrong.</summary>
public sealed class PledgeGridSafetyTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static int Y => PledgeData.Year;

    private async Task<(int Unit, string Url, HttpClient Client)> GridAsync()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        return (tdp1, $"/Pledges/Branch/{tdp1}?year={Y}", await app.SignedInAsync("bithu@hlb.local"));
    }

    private static Dictionary<string, string> Edit(int index, int id, uint version, string content, string? deadline = null) => new()
    {
        [$"Input.Edit[{index}].Id"] = id.ToString(),
        [$"Input.Edit[{index}].Editable"] = "true",
        [$"Input.Edit[{index}].Version"] = version.ToString(),
        [$"Input.Edit[{index}].Content"] = content,
        [$"Input.Edit[{index}].Solution"] = "Mỗi tuần một buổi",
        [$"Input.Edit[{index}].Deadline"] = deadline ?? $"{Y}-12-31",
    };

    [Fact]
    public async Task Editing_a_pledge_then_approving_it_in_one_go_keeps_the_edit()
    {
        var (_, url, client) = await GridAsync();
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var a = await app.AddPledgeAsync(m[11].Id, PledgeStatus.Submitted, "Bản cũ");
        var fields = Edit(0, a, (await app.PledgeAsync(a)).Version, "Bản đã sửa trước khi duyệt");
        fields["Input.Action"] = "Approve";
        fields["Input.Selected[0]"] = a.ToString();
        var r = await client.PostFormAsync(url + "&handler=Bulk", fields, url);
        if (r.StatusCode != HttpStatusCode.Redirect) Assert.Fail(await r.Content.ReadAsStringAsync());
        var saved = await app.PledgeAsync(a);
        Assert.Equal(PledgeStatus.Approved, saved.Status);
        Assert.Equal("Bản đã sửa trước khi duyệt", saved.Content);
    }

    [Fact]
    public async Task A_refused_bulk_action_saves_nothing_names_the_member_marks_the_row_and_keeps_the_selection()
    {
        var (_, url, client) = await GridAsync();
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var good = await app.AddPledgeAsync(m[12].Id, PledgeStatus.Submitted, "Dòng đúng");
        var bad = await app.AddPledgeAsync(m[13].Id, PledgeStatus.Submitted, "Dòng sẽ sai");
        var fields = Edit(0, good, (await app.PledgeAsync(good)).Version, "Dòng đúng, đã sửa");
        foreach (var kv in Edit(1, bad, (await app.PledgeAsync(bad)).Version, "   ")) fields[kv.Key] = kv.Value;
        fields["Input.Action"] = "Approve";
        fields["Input.Selected[0]"] = good.ToString();
        fields["Input.Selected[1]"] = bad.ToString();
        var r = await client.PostFormAsync(url + "&handler=Bulk", fields, url);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains($"{m[13].Name}: nội dung việc làm theo không được để trống.", html);
        Assert.Contains("Chưa lưu thay đổi nào", html);
        Assert.Contains($"{m[12].Name} (“Dòng đúng”)", html);
        Assert.Matches($"id=\"c-{bad}\"[^>]*class=\"[^\"]*is-invalid", html);
        Assert.Matches($"value=\"{good}\" id=\"sel-{good}\" checked=\"checked\"", html);
        Assert.Contains("Dòng đúng, đã sửa", html);
        Assert.Equal(PledgeStatus.Submitted, (await app.PledgeAsync(good)).Status);
        Assert.Equal("Dòng đúng", (await app.PledgeAsync(good)).Content);
    }

    [Fact]
    public async Task Saving_an_edit_of_another_branch_s_pledge_is_refused_and_saves_nothing()
    {
        var (_, url, client) = await GridAsync();
        var mine = await app.AddPledgeAsync((await app.MembersAsync("TQ-TP-PT-TDP1"))[14].Id, PledgeStatus.Draft, "Dòng của chi bộ mình");
        var theirs = await app.AddPledgeAsync((await app.MembersAsync("TQ-TP-PT-TDP2"))[0].Id, PledgeStatus.Draft, "Dòng của chi bộ khác");
        var fields = Edit(0, mine, (await app.PledgeAsync(mine)).Version, "Dòng của chi bộ mình, đã sửa");
        foreach (var kv in Edit(1, theirs, (await app.PledgeAsync(theirs)).Version, "Sửa trộm")) fields[kv.Key] = kv.Value;
        var r = await client.PostFormAsync(url + "&handler=Save", fields, url);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("không còn trên bảng của chi bộ này", html);
        Assert.DoesNotContain("Đã lưu", html);
        Assert.Equal("Dòng của chi bộ khác", (await app.PledgeAsync(theirs)).Content);
        Assert.Equal("Dòng của chi bộ mình", (await app.PledgeAsync(mine)).Content);
        Assert.Contains("Dòng của chi bộ mình, đã sửa", html); // the secretary's own edit is still on the grid

        fields.Remove("Input.Edit[1].Id"); // the same save without the outside row goes through
        foreach (var k in fields.Keys.Where(k => k.StartsWith("Input.Edit[1]", StringComparison.Ordinal)).ToList()) fields.Remove(k);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(url + "&handler=Save", fields, url)).StatusCode);
        Assert.Equal("Dòng của chi bộ mình, đã sửa", (await app.PledgeAsync(mine)).Content);
    }

    [Fact]
    public async Task An_unknown_filter_in_the_link_lists_every_member_as_no_filter_does()
    {
        var (_, url, client) = await GridAsync();
        var cards = (await app.MembersAsync("TQ-TP-PT-TDP1")).Select(m => m.Card).ToList();
        var all = await client.HtmlAsync(url);
        Assert.All(cards, c => Assert.Contains(c, all));
        foreach (var filter in new[] { "999", "7", "Khong-co", "Draft,Submitted", "Approved%20", "Appr%C3%B3ved" })
        {
            var html = await client.HtmlAsync(url + "&filter=" + filter);
            Assert.All(cards, c => Assert.Contains(c, html));
        }
    }

    [Fact]
    public async Task A_deadline_outside_the_plan_year_is_refused_on_the_grid_and_the_pledge_page()
    {
        var (_, url, client) = await GridAsync();
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var r = await client.PostFormAsync(url + "&handler=Save", new()
        {
            ["Input.New[0].MemberId"] = m[14].Id.ToString(), ["Input.New[0].Content"] = "Hạn sai", ["Input.New[0].Deadline"] = $"{Y + 5}-01-01",
        }, url);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains($"{m[14].Name}: Thời hạn 01/01/{Y + 5} phải nằm trong năm kế hoạch {Y}", html);
        Assert.False(await app.DbAsync(db => db.Pledges.AnyAsync(p => p.Content == "Hạn sai")));

        var a = await app.AddPledgeAsync(m[14].Id, PledgeStatus.Draft, "Hạn trên trang chi tiết");
        var d = await client.PostFormAsync($"/Pledges/Details/{a}?handler=Edit", new()
        {
            ["Input.Version"] = (await app.PledgeAsync(a)).Version.ToString(), ["Input.Content"] = "Hạn trên trang chi tiết", ["Input.Deadline"] = $"{Y - 1}-06-30",
        }, $"/Pledges/Details/{a}");
        Assert.Contains($"phải nằm trong năm kế hoạch {Y}", WebUtility.HtmlDecode(await d.Content.ReadAsStringAsync()));
        Assert.Equal(new DateOnly(Y, 12, 31), (await app.PledgeAsync(a)).Deadline);
    }

    [Fact]
    public async Task At_the_branch_meeting_the_secretary_records_results_and_can_undo_one_with_a_reason()
    {
        var (_, url, client) = await GridAsync();
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var done = await app.AddPledgeAsync(m[15].Id, PledgeStatus.Approved, "Không dùng ứng dụng, làm xong");
        var notDone = await app.AddPledgeAsync(m[16].Id, PledgeStatus.InProgress, "Chưa làm xong");
        var r = await client.PostFormAsync(url + "&handler=Bulk", new() { ["Input.Action"] = "ConfirmAtMeeting", ["Input.Selected"] = done.ToString(), ["Input.Reason"] = "Đã trồng 20 cây", ["Input.Versions"] = $"{done}:{(await app.PledgeAsync(done)).Version}" }, url);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        r = await client.PostFormAsync(url + "&handler=Bulk", new() { ["Input.Action"] = "MarkNotDone", ["Input.Selected"] = notDone.ToString(), ["Input.Reason"] = "Chuyển công tác giữa năm", ["Input.Versions"] = $"{notDone}:{(await app.PledgeAsync(notDone)).Version}" }, url);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(PledgeStatus.Done, (await app.PledgeAsync(done)).Status);
        Assert.Equal("Đã trồng 20 cây", (await app.PledgeAsync(done)).EvidenceNote);
        Assert.Equal(PledgeStatus.NotDone, (await app.PledgeAsync(notDone)).Status);
        Assert.Contains(await app.AuditAsync("Pledge", done), e => e.Note == "Xác nhận tại sinh hoạt chi bộ: Đã trồng 20 cây" && e.Actor == "bithu@hlb.local");

        // The way back needs a reason, and is audited.
        var refused = await client.PostFormAsync($"/Pledges/Details/{done}?handler=Act", new() { ["Input.Action"] = "Reopen", ["Input.Version"] = (await app.PledgeAsync(done)).Version.ToString() }, $"/Pledges/Details/{done}");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(PledgeRules.ReasonRequired, await refused.Content.ReadAsStringAsync());
        Assert.Equal(PledgeStatus.Done, (await app.PledgeAsync(done)).Status);
        var back = await client.PostFormAsync($"/Pledges/Details/{done}?handler=Act", new() { ["Input.Action"] = "Reopen", ["Input.Note"] = "Ghi nhầm người", ["Input.Version"] = (await app.PledgeAsync(done)).Version.ToString() }, $"/Pledges/Details/{done}");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var reopened = await app.PledgeAsync(done);
        Assert.Equal(PledgeStatus.Approved, reopened.Status);
        Assert.Null(reopened.VerifiedAt);
        Assert.Contains(await app.AuditAsync("Pledge", done), e => e.Note == "Mở lại: Ghi nhầm người" && e.Before!.Contains("Done"));
    }

    [Fact]
    public async Task Only_secretaries_see_the_import_link_on_the_grid()
    {
        var (unit, url, client) = await GridAsync();
        Assert.Contains($"/Pledges/Import/{unit}", await client.HtmlAsync(url));
        var staff = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        Assert.DoesNotContain($"/Pledges/Import/{unit}", await staff.HtmlAsync(url));
    }

    [Fact]
    public async Task Every_button_of_the_grid_posts_back_to_the_same_year_and_filter()
    {
        var (unit, _, client) = await GridAsync();
        var year = Y + 1;
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.HtmlAsync($"/Pledges/Branch/{unit}?year={year}&filter=Draft"));
        var buttons = doc.QuerySelectorAll("#grid-form button[type=submit]").ToList();
        Assert.NotEmpty(buttons);
        foreach (var b in buttons)
        {
            var action = WebUtility.HtmlDecode(b.GetAttribute("formaction") ?? doc.GetElementById("grid-form")!.GetAttribute("action")!);
            Assert.Contains($"year={year}", action);
            Assert.Contains("filter=Draft", action);
        }

        // A refused save answers the grid of that year, where the typed row is kept.
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var save = WebUtility.HtmlDecode(buttons[0].GetAttribute("formaction")!);
        var r = await client.PostFormAsync(save, new() { ["Input.New[0].MemberId"] = m[0].Id.ToString(), ["Input.New[0].Solution"] = "Giải pháp chưa có nội dung" }, $"/Pledges/Branch/{unit}?year={year}&filter=Draft");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains($"Việc làm theo năm {year}", html);
        Assert.Contains("vui lòng nhập nội dung việc làm theo mới", html);
    }
}
