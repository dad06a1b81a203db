using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Data;

public sealed class LivedInDemo : AppFactory
{
    protected override bool SeedDemo => false;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Services.CreateAsyncScope();
        await DemoSeeder.SeedIfEmptyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider, CancellationToken.None, withActivity: true);
    }
}

/// <summary>The demo that scripts/run.sh seeds has a finished last year and a year under way.</summary>
public sealed class DemoActivityTests(LivedInDemo app) : IClassFixture<LivedInDemo>
{
    [Fact]
    public async Task Last_years_dashboard_shows_a_high_completion_rate_for_the_province()
    {
        var lastYear = TestClock.Year - 1;
        var (done, registered) = await app.DbAsync(async db => (
            await db.Pledges.CountAsync(p => p.Year == lastYear && p.Status == PledgeStatus.Done),
            await db.Pledges.CountAsync(p => p.Year == lastYear)));
        Assert.InRange(done * 100.0 / registered, 90, 100);
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var r = await client.GetAsync($"/Reports/{await app.OrgIdAsync("TQ")}/{lastYear}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains(new Rate(done, registered).WithFraction(), WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task This_year_the_demo_secretary_has_pledges_waiting_and_the_demo_member_one_to_report()
    {
        var year = TestClock.Year;
        var waiting = await app.DbAsync(db => db.Pledges.CountAsync(p => p.Year == year && p.Status == PledgeStatus.Submitted && db.OrgUnits.Any(u => u.Id == p.BranchId && u.Code == "TQ-TP-PT-TDP1")));
        Assert.True(waiting > 0);
        var member = await app.SignedInAsync("dangvien@hlb.local");
        Assert.Contains("Vận động gia đình phân loại rác", await member.HtmlAsync("/Pledges/Mine"));
    }
}
