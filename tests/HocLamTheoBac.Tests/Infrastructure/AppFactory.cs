using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Infrastructure;

/// <summary>The site hosted in-process against its own cloned database. One per test class.</summary>
public class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    /// <summary>Evidence uploads of this factory, outside the source tree; removed with the factory.</summary>
    public string UploadsDirectory { get; } = Path.Combine(Path.GetTempPath(), "hlb-uploads-" + Guid.NewGuid().ToString("N")[..10]);
    protected virtual bool SeedDemo => true;

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync();
        if (SeedDemo)
        {
            await using var scope = Services.CreateAsyncScope();
            await DemoSeeder.SeedIfEmptyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider, CancellationToken.None);
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
        if (Directory.Exists(UploadsDirectory)) Directory.Delete(UploadsDirectory, recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        builder.UseSetting("Logging:File", "");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Database:MigrateOnStartup", "false");
        builder.UseSetting("Database:SeedDemoIfEmpty", "false");
        builder.UseSetting("Storage:Uploads", UploadsDirectory);
        // Tests sign in many times from one address; the throttle's own tests lower these again.
        builder.UseSetting("Security:LoginPerAddress", "100000");
        builder.UseSetting("Security:LoginPerAccount", "100000");
        builder.ConfigureServices(s => s.AddSingleton(Calendar));
        ConfigureSettings(builder);
    }

    /// <summary>The site's clock in this factory (the fixed test clock unless a test class picks another day).</summary>
    protected virtual VietnamCalendar Calendar => TestClock.Calendar;

    /// <summary>Settings a derived factory changes (applied after the defaults above).</summary>
    protected virtual void ConfigureSettings(IWebHostBuilder builder) { }

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client signed in through the real login form (antiforgery token included).</summary>
    public async Task<HttpClient> SignedInAsync(string email, string password = DemoSeeder.DemoPassword)
    {
        var client = NewClient();
        var response = await client.PostFormAsync("/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"sign-in as {email} failed: {(int)response.StatusCode}");
        return client;
    }

    public async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var db = TestDatabase.NewContext(ConnectionString, clock: Calendar);
        return await work(db);
    }

    public async Task DbAsync(Func<AppDbContext, Task> work)
    {
        await using var db = TestDatabase.NewContext(ConnectionString, clock: Calendar);
        await work(db);
    }

    /// <summary>Creates an account with the demo password and one role binding; returns its id.</summary>
    public async Task<string> CreateAccountAsync(string email, AppRole role, string orgCode, int? memberId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, FullName = email, MemberId = memberId };
        var result = await users.CreateAsync(user, DemoSeeder.DemoPassword);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        var unit = await db.OrgUnits.SingleAsync(u => u.Code == orgCode);
        db.RoleBindings.Add(new RoleBinding { UserId = user.Id, Role = role, OrgUnitId = unit.Id, GrantedAt = TestClock.Calendar.Now });
        await db.SaveChangesAsync();
        return user.Id;
    }

    /// <summary>
    /// Waits for the site's prune of the change log at its start (a hosted service, run beside the first requests): a
    /// memo of a test's kept before that prune would be read again whole after it (the flaky counters of session 15).
    /// </summary>
    public async Task StartupPruneDoneAsync()
    {
        var rollups = Services.GetRequiredService<HocLamTheoBac.Web.Reports.DashboardRollups>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (rollups.Prunes == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(rollups.Prunes > 0, "the site did not prune its change log at its start");
    }

    public Task<int> OrgIdAsync(string code) => DbAsync(db => db.OrgUnits.Where(u => u.Code == code).Select(u => u.Id).SingleAsync());
}

public static partial class HttpClientForms
{
    /// <summary>GETs the page, takes the antiforgery token from its form, and posts the fields like a browser would.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, Dictionary<string, string> fields, string? getUrl = null)
    {
        var page = await client.GetAsync(getUrl ?? url);
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenRegex().Match(html);
        if (token.Success) fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    public static async Task<string> HtmlAsync(this HttpClient client, string url)
    {
        var r = await client.GetAsync(url);
        return await r.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}
