using System.Net;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Infrastructure;

/// <summary>
/// Admission control for the pages that roll up a whole subtree (ADR 0026): they take turns, a full queue answers the
/// Vietnamese "busy" page, light pages never wait, and a refused request takes no turn.
/// </summary>
public sealed class HeavyWorkTests(HeavyWorkTests.Site app) : IClassFixture<HeavyWorkTests.Site>
{
    /// <summary>One turn at a time, one waiting.</summary>
    public sealed class Site : AppFactory
    {
        protected override void ConfigureSettings(IWebHostBuilder builder)
        {
            builder.UseSetting("Limits:HeavyConcurrent", "1");
            builder.UseSetting("Limits:HeavyQueue", "1");
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition was not reached within 30 s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Dashboards_wait_their_turn_a_full_queue_answers_busy_in_vietnamese_and_light_pages_never_wait()
    {
        var heavy = app.Services.GetRequiredService<HeavyWork>();
        var admin = await app.SignedInAsync("tuyengiao@hlb.local");
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var tq = await app.OrgIdAsync("TQ");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/Reports/{tq}/2025")).StatusCode);

        var turn = await heavy.Limiter.AcquireAsync(1);   // somebody else's roll-up is running
        Assert.True(turn.IsAcquired);
        Task<HttpResponseMessage> waiting;
        try
        {
            waiting = admin.GetAsync($"/Reports/{tq}/2025");
            await UntilAsync(() => heavy.Limiter.GetStatistics()!.CurrentQueuedCount == 1);

            var busy = await admin.GetAsync($"/Reports/Draft/{tq}/2025");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.True(busy.Headers.RetryAfter is not null);
            var text = await busy.Content.ReadAsStringAsync();
            Assert.Contains("Hệ thống đang bận", text);
            Assert.DoesNotContain("Exception", text);

            // The grid and the member's pages do not queue behind roll-ups.
            Assert.Equal(HttpStatusCode.OK, (await secretary.GetAsync("/Pledges")).StatusCode);
            Assert.False(waiting.IsCompleted);
        }
        finally
        {
            turn.Dispose();
        }
        var shown = await waiting;
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("data-figure", await shown.Content.ReadAsStringAsync());
        await UntilAsync(() => heavy.Limiter.GetStatistics()!.CurrentAvailablePermits == 1);
    }

    [Fact]
    public async Task A_signed_out_request_takes_no_turn()
    {
        var heavy = app.Services.GetRequiredService<HeavyWork>();
        var tq = await app.OrgIdAsync("TQ");
        using var turn = await heavy.Limiter.AcquireAsync(1);
        Assert.True(turn.IsAcquired);

        var anonymous = await app.NewClient().GetAsync($"/Reports/{tq}/2025");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);   // to the sign-in page, at once
        Assert.Equal(0, heavy.Limiter.GetStatistics()!.CurrentQueuedCount);
    }
}
