using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Cli;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace HocLamTheoBac.Tests.Pages.Account;

public sealed class TemporaryPasswordTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task An_account_with_a_temporary_password_must_change_it_before_anything_else_and_keeps_the_change()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();
        var output = new StringWriter();
        Assert.Equal(0, await CommandLine.RunAsync(["users", "add", "--email", "moi@hlb.local", "--role", "staff", "--org", "TQ-TP"], output, config));
        var temporary = Regex.Match(output.ToString(), "Mật khẩu tạm thời: (\\S+)").Groups[1].Value;

        var client = await app.SignedInAsync("moi@hlb.local", temporary);
        var orgs = await client.GetAsync("/Orgs");
        Assert.Equal(HttpStatusCode.Redirect, orgs.StatusCode);
        Assert.Equal("/Account/Manage", orgs.Headers.Location!.OriginalString);
        Assert.Contains("mật khẩu tạm thời", await client.HtmlAsync("/Account/Manage"));

        var changed = await client.PostFormAsync("/Account/Manage?handler=Password",
            new() { ["Password.Current"] = temporary, ["Password.New"] = "MatKhauRieng2026", ["Password.Confirm"] = "MatKhauRieng2026" }, getUrl: "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Orgs")).StatusCode);
        Assert.False(await app.DbAsync(db => db.Users.Where(u => u.Email == "moi@hlb.local").Select(u => u.MustChangePassword).SingleAsync()));
        await app.SignedInAsync("moi@hlb.local", "MatKhauRieng2026");
    }

    [Fact]
    public async Task An_account_created_with_a_chosen_password_on_the_command_line_is_not_forced()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();
        Assert.Equal(0, await CommandLine.RunAsync(["users", "add", "--email", "chon@hlb.local", "--role", "staff", "--org", "TQ-TP", "--password", "MatKhauManh2026"], new StringWriter(), config));
        var client = await app.SignedInAsync("chon@hlb.local", "MatKhauManh2026");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Orgs")).StatusCode);
    }
}
