using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Issue 13, high finding: a city administrator could reset the password of a province administrator who
/// also held a role in a ward of the city, then sign in as them. An administrator now manages an account
/// only when every binding of it lies inside their subtree.
/// </summary>
public sealed class AccountTakeoverTests(AccountTakeoverTests.Site app) : IClassFixture<AccountTakeoverTests.Site>
{
    public sealed class Site : AppFactory
    {
        public string Province = "", CityAdmin = "", Inside = "", Both = "";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Province = await CreateAccountAsync("qtv.tinh@hlb.local", AppRole.Admin, "TQ");
            await DbAsync(async db =>
            {
                db.RoleBindings.Add(new RoleBinding { UserId = Province, Role = AppRole.Secretary, OrgUnitId = await db.OrgUnits.Where(u => u.Code == "TQ-TP-PT-TDP2").Select(u => u.Id).SingleAsync(), GrantedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
            });
            CityAdmin = await CreateAccountAsync("qtv.thanhpho@hlb.local", AppRole.Admin, "TQ-TP");
            Inside = await CreateAccountAsync("canbo.phuong@hlb.local", AppRole.Staff, "TQ-TP-PT");
            Both = await CreateAccountAsync("hai.noi@hlb.local", AppRole.Staff, "TQ-TP-PT");
            await DbAsync(async db =>
            {
                db.RoleBindings.Add(new RoleBinding { UserId = Both, Role = AppRole.Staff, OrgUnitId = await db.OrgUnits.Where(u => u.Code == "TQ-YS").Select(u => u.Id).SingleAsync(), GrantedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
            });
        }
    }

    /// <summary>The walk of session 16: a stale second "Thu hồi" answered 404; revoking the last role left an account no
    /// administrator could reach; an administrator revoked their own role.</summary>
    [Fact]
    public async Task Revoking_twice_says_it_was_done_the_last_role_is_kept_and_ones_own_administrator_role_is_refused()
    {
        var id = await app.CreateAccountAsync("hai.vai.tro@hlb.local", AppRole.Staff, "TQ-TP-PT");
        await app.DbAsync(async db =>
        {
            db.RoleBindings.Add(new RoleBinding { UserId = id, Role = AppRole.Secretary, OrgUnitId = await db.OrgUnits.Where(u => u.Code == "TQ-TP-PT-TDP1").Select(u => u.Id).SingleAsync(), GrantedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var bindings = await app.DbAsync(db => db.RoleBindings.Where(b => b.UserId == id).OrderBy(b => b.Role).Select(b => b.Id).ToListAsync());
        var city = await app.SignedInAsync("qtv.thanhpho@hlb.local");
        var token = await TokenAsync(city, $"/Users/Edit/{id}");
        Task<HttpResponseMessage> RevokeAsync(string account, int binding) =>
            city.PostAsync($"/Users/Edit/{account}?handler=Revoke&bindingId={binding}", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        foreach (var expected in new[] { "Đã thu hồi vai trò.", "Vai trò này đã được thu hồi trước đó." })
        {
            var r = await RevokeAsync(id, bindings[1]);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            Assert.Contains(expected, WebUtility.HtmlDecode(await city.HtmlAsync(r.Headers.Location!.OriginalString)));
        }
        var last = await RevokeAsync(id, bindings[0]);
        Assert.Equal(HttpStatusCode.Redirect, last.StatusCode);
        var page = WebUtility.HtmlDecode(await city.HtmlAsync(last.Headers.Location!.OriginalString));
        Assert.Contains("Không thể thu hồi vai trò cuối cùng của tài khoản", page);
        Assert.Contains("Khóa tài khoản", page);
        Assert.True(await app.DbAsync(db => db.RoleBindings.AnyAsync(b => b.Id == bindings[0])));
        // Still the city administrator's to manage: listed with a link to its page.
        Assert.Contains($"/Users/Edit/{id}", await city.HtmlAsync("/Users?q=hai.vai.tro"));

        var own = await app.DbAsync(db => db.RoleBindings.Where(b => b.UserId == app.CityAdmin).Select(b => b.Id).SingleAsync());
        var self = await RevokeAsync(app.CityAdmin, own);
        Assert.Equal(HttpStatusCode.Redirect, self.StatusCode);
        Assert.Contains("Không thể tự thu hồi vai trò quản trị viên của chính mình", WebUtility.HtmlDecode(await city.HtmlAsync(self.Headers.Location!.OriginalString)));
        Assert.True(await app.DbAsync(db => db.RoleBindings.AnyAsync(b => b.Id == own)));
        // The walk of session 18: one's own page offered "Thu hồi" of one's own administrator role (refused when clicked)
        // and its hint said to lock the account, which one's own page does not offer.
        var ownPage = WebUtility.HtmlDecode(await city.HtmlAsync($"/Users/Edit/{app.CityAdmin}"));
        Assert.Contains("(vai trò duy nhất: giao vai trò khác trước khi thu hồi)", ownPage);
        Assert.DoesNotContain("Khóa tài khoản", ownPage);
        var staff = await app.DbAsync(async db =>
        {
            var unit = await db.RoleBindings.Where(b => b.Id == own).Select(b => b.OrgUnitId).SingleAsync();
            var b = new RoleBinding { UserId = app.CityAdmin, Role = AppRole.Staff, OrgUnitId = unit, GrantedAt = TestClock.Calendar.Now };
            db.RoleBindings.Add(b);
            await db.SaveChangesAsync();
            return b.Id;
        });
        ownPage = WebUtility.HtmlDecode(await city.HtmlAsync($"/Users/Edit/{app.CityAdmin}"));
        Assert.DoesNotMatch($"bindingId={own}[&\"]", ownPage);
        Assert.Contains("(vai trò quản trị của chính bạn: nhờ quản trị viên cấp trên thu hồi)", ownPage);
        Assert.Matches($"bindingId={staff}[&\"]", ownPage);
        await app.DbAsync(db => db.RoleBindings.Where(b => b.Id == staff).ExecuteDeleteAsync());
    }

    /// <summary>Someone who left: the administrator locks the account; its open session ends at the next request, it cannot
    /// sign in, it stays listed (with its role) as locked, and "Mở khóa" opens it again. One's own account cannot be locked.</summary>
    [Fact]
    public async Task A_locked_account_is_signed_out_and_refused_until_unlocked_and_stays_in_the_list()
    {
        var id = await app.CreateAccountAsync("nghi.huu@hlb.local", AppRole.Staff, "TQ-TP-PT");
        var user = await app.SignedInAsync("nghi.huu@hlb.local");
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/Orgs")).StatusCode);
        var city = await app.SignedInAsync("qtv.thanhpho@hlb.local");

        var r = await city.PostFormAsync($"/Users/Edit/{id}?handler=Lock", [], getUrl: $"/Users/Edit/{id}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var page = WebUtility.HtmlDecode(await city.HtmlAsync(r.Headers.Location!.OriginalString));
        Assert.Contains("Đã khóa tài khoản", page);
        Assert.Contains("đã bị quản trị viên khóa", page);
        var open = await user.GetAsync("/Orgs");
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Contains("/Account/Login", open.Headers.Location!.ToString());
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.SignedInAsync("nghi.huu@hlb.local"));
        Assert.Contains("Đã bị quản trị viên khóa", WebUtility.HtmlDecode(await city.HtmlAsync("/Users?q=nghi.huu")));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.EntityId == id && a.Action == "Khóa tài khoản")));

        var again = await city.PostFormAsync($"/Users/Edit/{id}?handler=Lock", [], getUrl: $"/Users/Edit/{id}");
        Assert.Contains("Tài khoản đã bị khóa trước đó.", WebUtility.HtmlDecode(await city.HtmlAsync(again.Headers.Location!.OriginalString)));

        // A password reset keeps the administrator's lock (the walk of session 17: it let the account back in) and says so.
        var reset = await city.PostFormAsync($"/Users/Edit/{id}?handler=ResetPassword", [], getUrl: $"/Users/Edit/{id}");
        var resetPage = WebUtility.HtmlDecode(await reset.Content.ReadAsStringAsync());
        Assert.Contains("Tài khoản vẫn đang bị khóa", resetPage);
        var newPassword = System.Text.RegularExpressions.Regex.Match(resetPage, "<code id=\"new-password\">([^<]+)</code>").Groups[1].Value;
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.SignedInAsync("nghi.huu@hlb.local", newPassword));

        var unlock = await city.PostFormAsync($"/Users/Edit/{id}?handler=Unlock", [], getUrl: $"/Users/Edit/{id}");
        Assert.Equal(HttpStatusCode.Redirect, unlock.StatusCode);
        var back = await app.SignedInAsync("nghi.huu@hlb.local", newPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await back.GetAsync("/Orgs")).StatusCode);   // to the forced password change
        // A second tab's "Mở khóa": nothing to do, nothing audited.
        var twice = await city.PostFormAsync($"/Users/Edit/{id}?handler=Unlock", [], getUrl: $"/Users/Edit/{id}");
        Assert.Contains("Tài khoản không bị khóa.", WebUtility.HtmlDecode(await city.HtmlAsync(twice.Headers.Location!.OriginalString)));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.EntityId == id && a.Action == "Mở khóa tài khoản")));
        // The audit names the account the rows are about by its e-mail.
        var audit = WebUtility.HtmlDecode(await city.HtmlAsync("/Audit?Entity=AppUser"));
        Assert.Contains("Tài khoản nghi.huu@hlb.local", audit);
        Assert.DoesNotContain($"#{id}", audit);
        // "%" in the search is a letter, not a wildcard.
        Assert.DoesNotContain("nghi.huu@hlb.local", await city.HtmlAsync("/Users?q=%25"));
        Assert.Contains("nghi.huu@hlb.local", await city.HtmlAsync("/Users?q=nghi.huu"));

        var self = await city.PostFormAsync($"/Users/Edit/{app.CityAdmin}?handler=Lock", [], getUrl: $"/Users/Edit/{app.CityAdmin}");
        Assert.Contains("Không thể tự khóa tài khoản của chính mình.", WebUtility.HtmlDecode(await city.HtmlAsync(self.Headers.Location!.OriginalString)));
        Assert.Equal(HttpStatusCode.OK, (await city.GetAsync("/Orgs")).StatusCode);
    }

    [Fact]
    public async Task A_city_administrator_gets_404_on_an_account_that_also_holds_a_role_above_the_city()
    {
        var city = await app.SignedInAsync("qtv.thanhpho@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await city.GetAsync($"/Users/Edit/{app.Province}")).StatusCode);
        var token = await TokenAsync(city, $"/Users/Edit/{app.Inside}");
        foreach (var handler in new[] { "ResetPassword", "Unlock" })
        {
            var r = await city.PostAsync($"/Users/Edit/{app.Province}?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }
        var bindingId = await app.DbAsync(db => db.RoleBindings.Where(b => b.UserId == app.Province && b.Role == AppRole.Secretary).Select(b => b.Id).SingleAsync());
        var revoke = await city.PostAsync($"/Users/Edit/{app.Province}?handler=Revoke&bindingId={bindingId}", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        // The province administrator's password still works: nothing was changed.
        await app.SignedInAsync("qtv.tinh@hlb.local");
        // The list names the account but offers no way to manage it.
        var list = await city.HtmlAsync("/Users");
        Assert.Contains("qtv.tinh@hlb.local", list);
        Assert.DoesNotContain($"/Users/Edit/{app.Province}", list);
    }

    [Fact]
    public async Task A_city_administrator_still_manages_an_account_wholly_inside_the_city_and_the_province_manages_both()
    {
        var city = await app.SignedInAsync("qtv.thanhpho@hlb.local");
        Assert.Equal(HttpStatusCode.OK, (await city.GetAsync($"/Users/Edit/{app.Inside}")).StatusCode);
        var province = await app.SignedInAsync("admin@hlb.local");
        Assert.Equal(HttpStatusCode.OK, (await province.GetAsync($"/Users/Edit/{app.Province}")).StatusCode);
    }

    [Fact]
    public async Task The_audit_row_of_an_account_change_is_seen_by_the_administrators_of_every_unit_the_account_holds()
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"/Users/Edit/{app.Both}?handler=Lock", [], getUrl: $"/Users/Edit/{app.Both}")).StatusCode);
        var r = await admin.PostFormAsync($"/Users/Edit/{app.Both}?handler=Unlock", [], getUrl: $"/Users/Edit/{app.Both}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var units = await app.DbAsync(db => db.AuditEntries.Where(a => a.EntityId == app.Both && a.Action == "Mở khóa tài khoản")
            .Select(a => a.OrgUnitId).ToListAsync());
        var expected = new[] { await app.OrgIdAsync("TQ-TP-PT"), await app.OrgIdAsync("TQ-YS") };
        Assert.Equal(expected.Order(), units.Select(u => u!.Value).Order());
    }

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.HtmlAsync(url);
        return WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
    }
}
