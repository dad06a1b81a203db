using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Pages.Account;

namespace HocLamTheoBac.Tests.Pages.Account;

public sealed class LoginTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static Dictionary<string, string> Form(string email, string password) => new() { ["Input.Email"] = email, ["Input.Password"] = password };

    [Fact]
    public async Task An_unknown_account_and_a_wrong_password_get_the_same_message()
    {
        var client = app.NewClient();
        var unknown = await (await client.PostFormAsync("/Account/Login", Form("khongco@hlb.local", "SaiMatKhau123"))).Content.ReadAsStringAsync();
        var wrong = await (await client.PostFormAsync("/Account/Login", Form("bithu2@hlb.local", "SaiMatKhau123"))).Content.ReadAsStringAsync();
        Assert.Contains(LoginModel.InvalidCredentials, unknown);
        Assert.Contains(LoginModel.InvalidCredentials, wrong);
    }

    [Fact]
    public async Task Five_failed_sign_ins_no_longer_lock_the_account_so_nobody_can_lock_out_a_real_user_cheaply()
    {
        var client = app.NewClient();
        for (var i = 0; i < 5; i++) await client.PostFormAsync("/Account/Login", Form("tuyengiao.tp@hlb.local", "SaiMatKhau123"));
        var r = await client.PostFormAsync("/Account/Login", Form("tuyengiao.tp@hlb.local", HocLamTheoBac.Web.Data.DemoSeeder.DemoPassword));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
    }

    [Fact]
    public async Task An_administrator_resets_a_forgotten_password_and_the_new_one_works()
    {
        var id = await app.CreateAccountAsync("quenmatkhau@hlb.local", HocLamTheoBac.Web.Domain.AppRole.Staff, "TQ-YS");
        var admin = await app.SignedInAsync("admin@hlb.local");
        var r = await admin.PostFormAsync($"/Users/Edit/{id}?handler=ResetPassword", [], getUrl: $"/Users/Edit/{id}");
        var html = await r.Content.ReadAsStringAsync();
        var password = System.Text.RegularExpressions.Regex.Match(html, "<code id=\"new-password\">([^<]+)</code>").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(password));
        Assert.DoesNotContain("Vui lòng chọn vai trò", html);   // the grant form's checks are not this form's
        await app.SignedInAsync("quenmatkhau@hlb.local", password);
    }

    [Fact]
    public async Task A_weak_new_password_is_refused_in_Vietnamese()
    {
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var r = await client.PostFormAsync("/Account/Manage?handler=Password", new() { ["Password.Current"] = HocLamTheoBac.Web.Data.DemoSeeder.DemoPassword, ["Password.New"] = "abcdefghijk", ["Password.Confirm"] = "abcdefghijk" }, getUrl: "/Account/Manage");
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("Mật khẩu phải có ít nhất một chữ số", html);
        Assert.Contains("chữ hoa", html);
    }
}

public sealed class StampCheckedEveryRequest : AppFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:StampCheckSeconds", "0");
    }
}

public sealed class SignOutTests(StampCheckedEveryRequest app) : IClassFixture<StampCheckedEveryRequest>
{
    [Fact]
    public async Task After_signing_out_a_copied_cookie_no_longer_opens_pages()
    {
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var page = await client.GetAsync("/");
        var cookie = string.Join("; ", page.RequestMessage!.Headers.GetValues("Cookie"));
        var copy = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/Account/Logout", [], getUrl: "/")).StatusCode);
        var after = await copy.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/Account/Login", after.Headers.Location!.ToString());
    }
}
