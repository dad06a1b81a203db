using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Orgs;

/// <summary>For each role, what it may and may not reach across two sibling subtrees (TDP1 vs TDP2, Thành ủy vs Huyện ủy).</summary>
public sealed class AccessMatrixTests(AppFactory app) : IClassFixture<AppFactory>
{
    private async Task<HttpStatusCode> Get(string email, string url)
    {
        var client = await app.SignedInAsync(email);
        return (await client.GetAsync(url)).StatusCode;
    }

    private Task<int> MemberOf(string branch, string position = "Đảng viên") =>
        app.DbAsync(db => db.Members.Where(m => m.Branch.Code == branch && m.Position == position).Select(m => m.Id).FirstAsync());

    [Theory]
    [InlineData("admin@hlb.local", "TQ-TP-PT-TDP1", HttpStatusCode.OK)]
    [InlineData("admin@hlb.local", "TQ-YS", HttpStatusCode.OK)]
    [InlineData("tuyengiao.tp@hlb.local", "TQ-TP-PT-TDP1", HttpStatusCode.OK)]
    [InlineData("tuyengiao.tp@hlb.local", "TQ-YS", HttpStatusCode.NotFound)]
    [InlineData("tuyengiao.tp@hlb.local", "TQ", HttpStatusCode.NotFound)]
    [InlineData("bithu@hlb.local", "TQ-TP-PT-TDP1", HttpStatusCode.OK)]
    [InlineData("bithu@hlb.local", "TQ-TP-PT-TDP2", HttpStatusCode.NotFound)]
    [InlineData("bithu2@hlb.local", "TQ-TP-PT-TDP1", HttpStatusCode.NotFound)]
    [InlineData("dangvien@hlb.local", "TQ-TP-PT-TDP1", HttpStatusCode.NotFound)]
    public async Task Unit_pages_open_only_inside_the_users_subtree(string email, string code, HttpStatusCode expected)
    {
        var id = await app.OrgIdAsync(code);
        Assert.Equal(expected, await Get(email, $"/Orgs/Details/{id}"));
    }

    [Theory]
    [InlineData("admin@hlb.local", HttpStatusCode.OK)]
    [InlineData("tuyengiao.tp@hlb.local", HttpStatusCode.OK)]
    [InlineData("bithu@hlb.local", HttpStatusCode.OK)]
    [InlineData("bithu2@hlb.local", HttpStatusCode.NotFound)]
    [InlineData("dangvien@hlb.local", HttpStatusCode.NotFound)]
    public async Task The_member_list_of_a_branch_opens_only_for_those_above_or_in_it(string email, HttpStatusCode expected)
    {
        var id = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        Assert.Equal(expected, await Get(email, $"/Members?org={id}"));
    }

    [Fact]
    public async Task A_secretary_sees_only_their_own_branchs_members_in_lists()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var tdp2Names = await app.DbAsync(db => db.Members.Where(m => m.BranchId == tdp2).Select(m => m.CardNumber!).ToListAsync());
        var client = await app.SignedInAsync("bithu@hlb.local");
        var ward = await app.OrgIdAsync("TQ-TP-PT");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Members?org={ward}")).StatusCode);
        var own = await client.HtmlAsync($"/Members?org={await app.OrgIdAsync("TQ-TP-PT-TDP1")}");
        Assert.DoesNotContain(tdp2Names, c => own.Contains(c));
    }

    [Fact]
    public async Task A_member_sees_their_own_record_but_not_a_neighbours()
    {
        var ownId = await app.DbAsync(db => db.Users.Where(u => u.Email == "dangvien@hlb.local").Select(u => u.MemberId!.Value).SingleAsync());
        var other = await MemberOf("TQ-TP-PT-TDP1", "Phó Bí thư chi bộ");
        Assert.Equal(HttpStatusCode.OK, await Get("dangvien@hlb.local", $"/Members/Edit/{ownId}"));
        Assert.Equal(HttpStatusCode.NotFound, await Get("dangvien@hlb.local", $"/Members/Edit/{other}"));
    }

    [Fact]
    public async Task A_form_post_to_another_branchs_member_is_refused_and_changes_nothing()
    {
        var id = await MemberOf("TQ-TP-PT-TDP1");
        var before = await app.DbAsync(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == id));
        var intruder = await app.SignedInAsync("bithu2@hlb.local");
        var r = await intruder.PostFormAsync($"/Members/Edit/{id}", new() { ["Input.FullName"] = "Bị sửa trái phép", ["Input.Status"] = "Active" }, getUrl: "/");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal(before.FullName, await app.DbAsync(db => db.Members.Where(m => m.Id == id).Select(m => m.FullName).SingleAsync()));

        var owner = await app.SignedInAsync("bithu@hlb.local");
        var ok = await owner.PostFormAsync($"/Members/Edit/{id}", new() { ["Input.FullName"] = "Nguyễn Thị Hồng", ["Input.Status"] = "Active", ["Input.Version"] = before.Version.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal("Nguyễn Thị Hồng", await app.DbAsync(db => db.Members.Where(m => m.Id == id).Select(m => m.FullName).SingleAsync()));
    }

    [Theory]
    [InlineData("admin@hlb.local", HttpStatusCode.Redirect)]
    [InlineData("tuyengiao.tp@hlb.local", HttpStatusCode.NotFound)]
    [InlineData("bithu@hlb.local", HttpStatusCode.NotFound)]
    public async Task Only_an_administrator_of_the_subtree_creates_units(string email, HttpStatusCode expected)
    {
        var parent = await app.OrgIdAsync("TQ-TP-PT");
        var client = await app.SignedInAsync(email);
        var code = "NEW-" + Guid.NewGuid().ToString("N")[..6];
        var r = await client.PostFormAsync($"/Orgs/Create?parent={parent}", new() { ["Input.Name"] = "Chi bộ Tổ dân phố 9", ["Input.Code"] = code, ["Input.KindId"] = "8", ["Input.FoundedYear"] = "2026" }, getUrl: "/");
        Assert.Equal(expected, r.StatusCode);
        Assert.Equal(expected == HttpStatusCode.Redirect, await app.DbAsync(db => db.OrgUnits.AnyAsync(u => u.Code == code)));
    }

    [Theory]
    [InlineData("admin@hlb.local", "/Users", HttpStatusCode.OK)]
    [InlineData("admin@hlb.local", "/Audit", HttpStatusCode.OK)]
    [InlineData("tuyengiao@hlb.local", "/Users", HttpStatusCode.NotFound)]
    [InlineData("tuyengiao@hlb.local", "/Audit", HttpStatusCode.NotFound)]
    [InlineData("bithu@hlb.local", "/Users", HttpStatusCode.NotFound)]
    [InlineData("dangvien@hlb.local", "/Audit", HttpStatusCode.NotFound)]
    public async Task Accounts_and_the_audit_log_are_for_administrators(string email, string url, HttpStatusCode expected) =>
        Assert.Equal(expected, await Get(email, url));

    [Fact]
    public async Task An_administrator_cannot_manage_an_account_bound_outside_their_subtree()
    {
        await app.CreateAccountAsync("admin.tp@hlb.local", AppRole.Admin, "TQ-TP");
        var ysId = await app.CreateAccountAsync("bithu.ys@hlb.local", AppRole.Secretary, "TQ-YS-UB-VP");
        Assert.Equal(HttpStatusCode.NotFound, await Get("admin.tp@hlb.local", $"/Users/Edit/{ysId}"));
        Assert.Equal(HttpStatusCode.OK, await Get("admin@hlb.local", $"/Users/Edit/{ysId}"));
        var list = await (await app.SignedInAsync("admin.tp@hlb.local")).HtmlAsync("/Users");
        Assert.Contains("bithu@hlb.local", list);
        Assert.DoesNotContain("bithu.ys@hlb.local", list);
    }
}
