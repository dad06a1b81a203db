using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Pledges;

public sealed class PledgeGridTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static int Y => PledgeData.Year;

    [Fact]
    public async Task A_secretary_adds_pledges_for_several_members_in_one_save_and_the_grid_shows_who_has_not_registered()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var members = await app.MembersAsync("TQ-TP-PT-TDP1");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var html = await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}");
        Assert.Contains("Chưa đăng ký", html);

        var fields = new Dictionary<string, string>();
        for (var i = 0; i < members.Count; i++) fields[$"Input.New[{i}].MemberId"] = members[i].Id.ToString();
        fields["Input.New[3].Content"] = "Nhặt rác khu phố mỗi sáng Chủ nhật";
        fields["Input.New[3].Solution"] = "Cùng tổ dân phố";
        fields["Input.New[3].Deadline"] = $"{Y}-12-15";
        fields["Input.New[4].Content"] = "Tiết kiệm điện ở cơ quan";
        var r = await client.PostFormAsync($"/Pledges/Branch/{tdp1}?year={Y}&handler=Save", fields, $"/Pledges/Branch/{tdp1}?year={Y}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);

        var saved = await app.DbAsync(db => db.Pledges.Where(p => p.BranchId == tdp1 && p.Year == Y && (p.Content == "Nhặt rác khu phố mỗi sáng Chủ nhật" || p.Content == "Tiết kiệm điện ở cơ quan")).OrderBy(p => p.MemberId).ToListAsync());
        Assert.Equal([members[3].Id, members[4].Id], saved.Select(p => p.MemberId));
        Assert.All(saved, p => Assert.Equal(PledgeStatus.Draft, p.Status));
        Assert.Equal(new DateOnly(Y, 12, 15), saved[0].Deadline);
        Assert.Single(await app.AuditAsync("Pledge", saved[0].Id));

        html = await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}&filter=chua-dang-ky");
        // A draft is not registered yet (PledgeSets.Registered): the grid agrees with the report until it is submitted or approved.
        Assert.Contains(members[3].Card, html);
        Assert.Contains(members[5].Card, html);
        var approve = await client.PostFormAsync($"/Pledges/Branch/{tdp1}?year={Y}&handler=Bulk",
            new() { ["Input.Action"] = "Approve", ["Input.Selected[0]"] = saved[0].Id.ToString(), ["Input.Versions"] = await VersionsAsync(saved[0].Id) }, $"/Pledges/Branch/{tdp1}?year={Y}");
        Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        html = await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}&filter=chua-dang-ky");
        Assert.DoesNotContain(members[3].Card, html);
        Assert.Contains("Đã đăng ký: <strong>", html);
    }

    [Fact]
    public async Task A_filter_the_grid_does_not_have_is_said_and_the_grid_lists_everyone_without_carrying_it_in_its_links()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var all = WebUtility.HtmlDecode(await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}"));
        foreach (var bad in new[] { "khong-co", "1", "Draft,Approved", "Dràft" })
        {
            var html = WebUtility.HtmlDecode(await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}&filter={Uri.EscapeDataString(bad)}"));
            Assert.Contains($"Không có bộ lọc “{bad}”: đang hiện tất cả thành viên.", html);
            Assert.DoesNotContain("filter=", html);
            // The same members as without a filter.
            Assert.Equal(Members(all), Members(html));
        }
        Assert.DoesNotContain("Không có bộ lọc", await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}&filter=Draft"));
        // A status in other letter case is that status (the walk of session 13: "submitted" typed by hand).
        var lower = WebUtility.HtmlDecode(await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}&filter=draft"));
        Assert.DoesNotContain("Không có bộ lọc", lower);
        Assert.Equal(Members(WebUtility.HtmlDecode(await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}&filter=Draft"))), Members(lower));

        // A save posted from such an address comes back without it (the attack walk: the redirect carried it).
        var member = (await app.MembersAsync("TQ-TP-PT-TDP1"))[0];
        var saved = await client.PostFormAsync($"/Pledges/Branch/{tdp1}?year={Y}&filter=khong-co&handler=Save",
            new() { ["Input.New[0].MemberId"] = member.Id.ToString(), ["Input.New[0].Content"] = "Đọc một cuốn sách về Bác mỗi quý" }, $"/Pledges/Branch/{tdp1}?year={Y}&filter=khong-co");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.DoesNotContain("khong-co", saved.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);

        // Hundreds of open editors in an address open no more than a page's worth.
        var many = string.Concat(Enumerable.Range(1, 300).Select(i => $"&add={i}"));
        var page = await client.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}{many}");
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"(\\?year=[^\"]*&amp;add=[^\"]*)\"").Groups[1].Value;
        Assert.InRange(System.Text.RegularExpressions.Regex.Matches(link, "&amp;add=").Count, 1, HocLamTheoBac.Web.Pages.Pledges.BranchModel.MembersPerPage + 1);
    }

    private static List<string> Members(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<span id=\"mn-\\d+\">([^<]*)</span>").Select(m => m.Groups[1].Value).ToList();

    /// <summary>"id:version id:version" as the grid posts the rows it showed (Input.Versions).</summary>
    private async Task<string> VersionsAsync(params int[] ids)
    {
        var parts = new List<string>();
        foreach (var id in ids) parts.Add($"{id}:{(await app.PledgeAsync(id)).Version}");
        return string.Join(' ', parts);
    }

    [Fact]
    public async Task A_bulk_action_whose_rows_came_without_their_versions_is_refused_and_changes_nothing()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var a = await app.AddPledgeAsync(m[12].Id, PledgeStatus.Submitted, "Dòng không kèm phiên bản");
        var b = await app.AddPledgeAsync(m[13].Id, PledgeStatus.Submitted, "Dòng kèm phiên bản");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var url = $"/Pledges/Branch/{tdp1}?year={Y}";
        var r = await client.PostFormAsync(url + "&handler=Bulk",
            new() { ["Input.Action"] = "Approve", ["Input.Selected[0]"] = a.ToString(), ["Input.Selected[1]"] = b.ToString(), ["Input.Versions"] = await VersionsAsync(b) }, url);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains(HocLamTheoBac.Web.Pages.Pledges.BranchModel.StaleSelection, WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.Equal(PledgeStatus.Submitted, (await app.PledgeAsync(a)).Status);
        Assert.Equal(PledgeStatus.Submitted, (await app.PledgeAsync(b)).Status);
    }

    [Fact]
    public async Task Bulk_approval_moves_every_selected_pledge_to_approved_and_audits_each_transition()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var a = await app.AddPledgeAsync(m[6].Id, PledgeStatus.Submitted, "Tham gia hiến máu");
        var b = await app.AddPledgeAsync(m[7].Id, PledgeStatus.Draft, "Đọc sách về Bác mỗi tháng");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var r = await client.PostFormAsync($"/Pledges/Branch/{tdp1}?year={Y}&handler=Bulk",
            new() { ["Input.Action"] = "Approve", ["Input.Selected[0]"] = a.ToString(), ["Input.Selected[1]"] = b.ToString(), ["Input.Versions"] = await VersionsAsync(a, b) },
            $"/Pledges/Branch/{tdp1}?year={Y}");
        if (r.StatusCode != HttpStatusCode.Redirect) Assert.Fail(await r.Content.ReadAsStringAsync());
        Assert.Equal(PledgeStatus.Approved, (await app.PledgeAsync(a)).Status);
        Assert.Equal(PledgeStatus.Approved, (await app.PledgeAsync(b)).Status);
        var audit = await app.AuditAsync("Pledge", a);
        Assert.Contains(audit, e => e.Action == "Sửa" && e.Before!.Contains("Submitted") && e.After!.Contains("Approved") && e.Actor == "bithu@hlb.local");
    }

    [Fact]
    public async Task Returning_in_bulk_without_a_reason_is_refused_with_a_Vietnamese_message()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var a = await app.AddPledgeAsync(m[8].Id, PledgeStatus.Submitted);
        var client = await app.SignedInAsync("bithu@hlb.local");
        var r = await client.PostFormAsync($"/Pledges/Branch/{tdp1}?year={Y}&handler=Bulk",
            new() { ["Input.Action"] = "Return", ["Input.Selected"] = a.ToString(), ["Input.Versions"] = await VersionsAsync(a) }, $"/Pledges/Branch/{tdp1}?year={Y}");
        Assert.Contains("Vui lòng ghi lý do trả lại.", await r.Content.ReadAsStringAsync());
        Assert.Equal(PledgeStatus.Submitted, (await app.PledgeAsync(a)).Status);
    }

    [Fact]
    public async Task A_secretary_of_a_sibling_branch_gets_404_for_the_grid_the_pledge_and_its_changes()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var a = await app.AddPledgeAsync(m[9].Id, PledgeStatus.Submitted, "Việc của chi bộ 1");
        var other = await app.SignedInAsync("bithu2@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Pledges/Branch/{tdp1}?year={Y}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Pledges/Details/{a}")).StatusCode);
        var r = await other.PostFormAsync($"/Pledges/Details/{a}?handler=Act", new() { ["Input.Action"] = "Approve", ["Input.Version"] = "0" }, "/Pledges");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        var r2 = await other.PostFormAsync($"/Pledges/Branch/{tdp1}?year={Y}&handler=Bulk", new() { ["Input.Action"] = "Approve", ["Input.Selected"] = a.ToString() }, "/Pledges");
        Assert.Equal(HttpStatusCode.NotFound, r2.StatusCode);
        Assert.Equal(PledgeStatus.Submitted, (await app.PledgeAsync(a)).Status);
        Assert.DoesNotContain("Việc của chi bộ 1", await other.HtmlAsync("/Pledges"));
    }

    [Fact]
    public async Task Staff_of_an_ancestor_reads_the_grid_but_cannot_approve()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var m = await app.MembersAsync("TQ-TP-PT-TDP1");
        var a = await app.AddPledgeAsync(m[10].Id, PledgeStatus.Submitted, "Việc để cấp trên xem");
        var staff = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var html = await staff.HtmlAsync($"/Pledges/Branch/{tdp1}?year={Y}");
        Assert.Contains("Việc để cấp trên xem", html);
        Assert.Contains("Bạn đang xem; chỉ bí thư chi bộ", html);
        var r = await staff.PostFormAsync($"/Pledges/Details/{a}?handler=Act", new() { ["Input.Action"] = "Approve", ["Input.Version"] = "0" }, $"/Pledges/Details/{a}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("Bạn không có quyền duyệt", await r.Content.ReadAsStringAsync());
        Assert.Equal(PledgeStatus.Submitted, (await app.PledgeAsync(a)).Status);
    }
}
