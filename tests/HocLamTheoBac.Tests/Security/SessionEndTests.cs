using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Account;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Issue 13 (low): a copied session cookie kept working for up to a minute after sign-out or a password change, and
/// two-step sign-in could be turned off with the session cookie alone.
/// </summary>
public sealed class SessionEndTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string NewPassword = "DoiMatKhau2026moi";

    /// <summary>Signs in through the form; returns the signed-in client and the session cookie as an attacker would copy it.</summary>
    private async Task<(HttpClient Client, string Cookie)> SignInAsync(string email, string password = DemoSeeder.DemoPassword)
    {
        var client = app.NewClient();
        var r = await client.PostFormAsync("/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var cookie = r.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("hlb.auth=", StringComparison.Ordinal));
        return (client, cookie);
    }

    /// <summary>Another browser that carries only the copied cookie.</summary>
    private HttpClient Copy(string cookie)
    {
        var c = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        c.DefaultRequestHeaders.Add("Cookie", cookie);
        return c;
    }

    private static Task AssertSignedOutAsync(HttpClient c) => AssertSentToAsync(c, "/Account/Login");

    /// <summary>A page of the site sends the client to <paramref name="page"/> instead of showing itself.</summary>
    private static async Task AssertSentToAsync(HttpClient c, string page)
    {
        var r = await c.GetAsync("/Orgs");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Contains(page, r.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Signing_out_ends_a_copied_cookie_on_its_very_next_request()
    {
        await app.CreateAccountAsync("dangxuat@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var (browser, cookie) = await SignInAsync("dangxuat@hlb.local");
        var copy = Copy(cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/Orgs")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/Account/Logout", [], getUrl: "/Account/Logout")).StatusCode);
        await AssertSignedOutAsync(copy);
        await AssertSignedOutAsync(browser);
    }

    [Fact]
    public async Task Changing_the_password_ends_every_other_session_at_once_and_keeps_the_one_that_changed_it()
    {
        await app.CreateAccountAsync("doimatkhau@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var (desk, _) = await SignInAsync("doimatkhau@hlb.local");
        var (_, phoneCookie) = await SignInAsync("doimatkhau@hlb.local");
        var phone = Copy(phoneCookie);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/Orgs")).StatusCode);

        var change = await desk.PostFormAsync("/Account/Manage?handler=Password",
            new() { ["Password.Current"] = DemoSeeder.DemoPassword, ["Password.New"] = NewPassword, ["Password.Confirm"] = NewPassword }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        await AssertSignedOutAsync(phone);
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/Orgs")).StatusCode);
    }

    [Fact]
    public async Task Turning_two_step_sign_in_off_needs_the_current_password_or_a_current_code()
    {
        const string email = "haibuoc@hlb.local";
        await app.CreateAccountAsync(email, AppRole.Secretary, "TQ-TP-PT-TDP1");
        var (client, _) = await SignInAsync(email);
        await client.PostFormAsync("/Account/Manage?handler=Start2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword }, getUrl: "/Account/Manage");
        var key = Regex.Match(await client.HtmlAsync("/Account/Manage"), "<code id=\"authenticator-key\">([^<]+)</code>").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        Assert.NotEmpty(key);
        Task<HttpResponseMessage> Enable() =>
            client.PostFormAsync("/Account/Manage?handler=Enable2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword, ["Code"] = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, (await Enable()).StatusCode);
        Task<bool> Enabled() => app.DbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.TwoFactorEnabled).SingleAsync());
        Assert.True(await Enabled());
        // Turning it on changed the stamp: the session that did it goes on.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Manage")).StatusCode);

        foreach (var proof in new[] { null, "", "SaiMatKhau2026", "000000" })
        {
            var fields = new Dictionary<string, string>();
            if (proof is not null) fields["Proof"] = proof;
            var refused = await client.PostFormAsync("/Account/Manage?handler=Disable2fa", fields, getUrl: "/Account/Manage");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("hãy nhập đúng mật khẩu hiện tại hoặc mã 6 chữ số", await refused.Content.ReadAsStringAsync());
            Assert.True(await Enabled());
        }

        var byPassword = await client.PostFormAsync("/Account/Manage?handler=Disable2fa", new() { ["Proof"] = DemoSeeder.DemoPassword }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, byPassword.StatusCode);
        Assert.False(await Enabled());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Manage")).StatusCode);

        await client.PostFormAsync("/Account/Manage?handler=Start2fa", new() { ["CurrentPassword"] = DemoSeeder.DemoPassword }, getUrl: "/Account/Manage");
        key = Regex.Match(await client.HtmlAsync("/Account/Manage"), "<code id=\"authenticator-key\">([^<]+)</code>").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        Assert.Equal(HttpStatusCode.Redirect, (await Enable()).StatusCode);
        var byCode = await client.PostFormAsync("/Account/Manage?handler=Disable2fa", new() { ["Proof"] = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, byCode.StatusCode);
        Assert.False(await Enabled());
    }

    // The cookie check reads the account with one plain SQL statement on the site's data source (no DbContext: the
    // signed-in floor of issue 16, FLOOR). What it reads must be what the model says, and every change to the account must
    // still reach a session on its very next request.

    [Fact]
    public async Task The_statement_reads_what_the_model_says_for_every_account_by_either_connection()
    {
        // A binding on a closed unit is dropped; an open one kept — checked against EF's own reading of the model.
        var id = await app.CreateAccountAsync("haidonvi@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        await app.DbAsync(async db =>
        {
            // Two open units nobody is bound to; one of them closed here (the demo's own closures depend on the test day).
            var free = await db.OrgUnits.Where(u => u.ClosedOn == null && !db.RoleBindings.Any(b => b.OrgUnitId == u.Id)).OrderByDescending(u => u.Id)
                .Select(u => u.Id).Take(2).ToListAsync();
            var (closed, open) = (free[0], free[1]);
            await db.OrgUnits.Where(u => u.Id == closed).ExecuteUpdateAsync(s => s.SetProperty(u => u.ClosedOn, new DateOnly(2025, 7, 1)));
            db.RoleBindings.Add(new RoleBinding { UserId = id, Role = AppRole.Staff, OrgUnitId = closed, GrantedAt = TestClock.Calendar.Now });
            db.RoleBindings.Add(new RoleBinding { UserId = id, Role = AppRole.Admin, OrgUnitId = open, GrantedAt = TestClock.Calendar.Now });
            await db.SaveChangesAsync();
        });
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await app.DbAsync(async db =>
        {
            var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync();
            Assert.True(users.Count >= 7);
            foreach (var u in users)
            {
                var expected = await db.RoleBindings.AsNoTracking().Where(b => b.UserId == u.Id && b.OrgUnit.ClosedOn == null).OrderBy(b => b.Id)
                    .Select(b => new { b.Role, b.OrgUnitId, b.OrgUnit.Path }).ToListAsync();
                foreach (var read in new[] { await AccessService.LoadAccountAsync(dataSource, u.Id, default), await AccessService.LoadAccountAsync(db, u.Id, default) })
                {
                    Assert.NotNull(read);
                    Assert.Equal(u.SecurityStamp, read.SecurityStamp);
                    Assert.Equal(u.MustChangePassword, read.MustChangePassword);
                    Assert.Equal(u.UserName, read.UserName);
                    Assert.Equal(u.Email, read.Email);
                    Assert.Equal(u.Id, read.Scope.UserId);
                    Assert.Equal(u.Email ?? u.Id, read.Scope.Name);
                    Assert.Equal(u.MemberId, read.Scope.MemberId);
                    Assert.False(read.Scope.IsOperator);
                    Assert.Equal(expected.Select(b => (b.Role, b.OrgUnitId, b.Path.ToString())), read.Scope.Bindings.Select(b => (b.Role, b.OrgUnitId, b.Path.ToString())));
                }
            }
            Assert.Equal(2, (await AccessService.LoadAccountAsync(dataSource, id, default))!.Scope.Bindings.Count);
            Assert.Null(await AccessService.LoadAccountAsync(dataSource, "no-such-account", default));
            Assert.Null(await AccessService.LoadAccountAsync(db, "no-such-account", default));
        });
    }

    [Fact]
    public async Task A_revoked_binding_and_a_temporary_password_reach_a_session_on_its_next_request()
    {
        var id = await app.CreateAccountAsync("thuhoi@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var (client, _) = await SignInAsync("thuhoi@hlb.local");
        Assert.Contains("href=\"/Reports\"", await client.HtmlAsync("/Orgs"));

        await app.DbAsync(db => db.RoleBindings.Where(b => b.UserId == id).ExecuteDeleteAsync());
        var html = await client.HtmlAsync("/Orgs");
        Assert.DoesNotContain("href=\"/Reports\"", html);
        Assert.DoesNotContain("href=\"/Models\"", html);

        // An administrator's reset sets a temporary password: the same session reaches only the password form.
        await app.DbAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.MustChangePassword, true)));
        await AssertSentToAsync(client, "/Account/Manage");
    }

    [Fact]
    public async Task A_reset_password_and_a_deleted_account_end_a_copied_session_on_its_next_request()
    {
        await app.CreateAccountAsync("datlai@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        await app.CreateAccountAsync("xoa@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var reset = Copy((await SignInAsync("datlai@hlb.local")).Cookie);
        var deleted = Copy((await SignInAsync("xoa@hlb.local")).Cookie);
        Assert.Equal(HttpStatusCode.OK, (await reset.GetAsync("/Orgs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await deleted.GetAsync("/Orgs")).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync("datlai@hlb.local"))!;
            var token = await users.GeneratePasswordResetTokenAsync(user);
            Assert.True((await users.ResetPasswordAsync(user, token, "MatKhauTam2026x")).Succeeded);
        }
        await app.DbAsync(db => db.Users.Where(u => u.Email == "xoa@hlb.local").ExecuteDeleteAsync());

        await AssertSignedOutAsync(reset);
        await AssertSignedOutAsync(deleted);
    }

    /// <summary>
    /// The branch grid's view sends the account's statement in one batch with its unit and roster (ADR 0038): every way an
    /// account ends or loses its rights still reaches that page on its very next request, and the page shows nothing read.
    /// </summary>
    [Fact]
    public async Task On_the_grid_whose_account_is_read_in_the_page_batch_every_end_of_a_session_takes_effect_on_the_next_request()
    {
        var branch = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var grid = $"/Pledges/Branch/{branch}?year=2026";
        async Task<HttpResponseMessage> Grid(HttpClient c) => await c.GetAsync(grid);
        async Task AssertGridSentToAsync(HttpClient c, string page)
        {
            var r = await Grid(c);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            Assert.Contains(page, r.Headers.Location!.ToString());
            Assert.DoesNotContain("id=\"m-", await r.Content.ReadAsStringAsync());
        }

        // Signing out elsewhere ends a copied cookie on the grid.
        await app.CreateAccountAsync("luoi.dangxuat@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var (browser, cookie) = await SignInAsync("luoi.dangxuat@hlb.local");
        var copy = Copy(cookie);
        var shown = await Grid(copy);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("id=\"m-", await shown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/Account/Logout", [], getUrl: "/Account/Logout")).StatusCode);
        await AssertGridSentToAsync(copy, "/Account/Login");

        // An administrator's password reset ends it.
        await app.CreateAccountAsync("luoi.datlai@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var reset = Copy((await SignInAsync("luoi.datlai@hlb.local")).Cookie);
        Assert.Equal(HttpStatusCode.OK, (await Grid(reset)).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync("luoi.datlai@hlb.local"))!;
            var token = await users.GeneratePasswordResetTokenAsync(user);
            Assert.True((await users.ResetPasswordAsync(user, token, "MatKhauTam2026x")).Succeeded);
        }
        await AssertGridSentToAsync(reset, "/Account/Login");

        // A revoked binding: the grid is not found for the same session (the scope read in the batch has no binding).
        var id = await app.CreateAccountAsync("luoi.thuhoi@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var (revoked, _) = await SignInAsync("luoi.thuhoi@hlb.local");
        Assert.Equal(HttpStatusCode.OK, (await Grid(revoked)).StatusCode);
        await app.DbAsync(db => db.RoleBindings.Where(b => b.UserId == id).ExecuteDeleteAsync());
        var gone = await Grid(revoked);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.DoesNotContain("id=\"m-", await gone.Content.ReadAsStringAsync());

        // A temporary password set under the session: the grid sends it to the password form.
        var temp = await app.CreateAccountAsync("luoi.tam@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var (tempClient, _) = await SignInAsync("luoi.tam@hlb.local");
        Assert.Equal(HttpStatusCode.OK, (await Grid(tempClient)).StatusCode);
        await app.DbAsync(db => db.Users.Where(u => u.Id == temp).ExecuteUpdateAsync(s => s.SetProperty(u => u.MustChangePassword, true)));
        await AssertGridSentToAsync(tempClient, "/Account/Manage");

        // A deleted account ends it.
        await app.CreateAccountAsync("luoi.xoa@hlb.local", AppRole.Secretary, "TQ-TP-PT-TDP1");
        var deleted = Copy((await SignInAsync("luoi.xoa@hlb.local")).Cookie);
        Assert.Equal(HttpStatusCode.OK, (await Grid(deleted)).StatusCode);
        await app.DbAsync(db => db.Users.Where(u => u.Email == "luoi.xoa@hlb.local").ExecuteDeleteAsync());
        await AssertGridSentToAsync(deleted, "/Account/Login");
    }

    [Fact]
    public async Task The_sign_out_form_is_refused_without_its_antiforgery_token_and_the_session_goes_on()
    {
        var (client, _) = await SignInAsync("bithu2@hlb.local");
        var refused = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Yêu cầu không hợp lệ", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Orgs")).StatusCode);

        var wrong = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = "CfDJ8-not-a-token" }));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Orgs")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/Account/Logout", [], getUrl: "/Orgs")).StatusCode);
        await AssertSignedOutAsync(client);
    }
}
