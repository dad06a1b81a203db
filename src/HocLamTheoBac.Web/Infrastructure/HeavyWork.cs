using System.Threading.RateLimiting;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Admission control for the pages that roll up a whole subtree (dashboard, report draft, report files): at most
/// <c>Limits:HeavyConcurrent</c> of them run at once (default: the processor count, at least 2); the others wait their
/// turn in order, up to <c>Limits:HeavyQueue</c> waiting (default 500); beyond that the answer is the Vietnamese 503
/// "Hệ thống đang bận" with Retry-After. On a machine of a few cores, running 32 province roll-ups side by side does
/// not finish them sooner — it multiplies the memory they hold and the database work competing at once (ADR 0026).
/// A request whose client gives up while waiting leaves the queue. Light pages (grid, member's page) never wait here.
/// </summary>
public sealed class HeavyWork : IDisposable
{
    /// <summary>Set on the request when it was turned away here, so the error page says "busy", not "outage".</summary>
    public const string BusyKey = "hlb.heavy-busy";

    public ConcurrencyLimiter Limiter { get; }

    public HeavyWork(IConfiguration config)
    {
        Limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, config.GetValue("Limits:HeavyConcurrent", Math.Max(2, Environment.ProcessorCount))),
            QueueLimit = Math.Max(0, config.GetValue("Limits:HeavyQueue", 500)),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>The pages whose endpoints carry <see cref="HeavyPage"/>.</summary>
    public static readonly string[] Pages = ["/Reports/Index", "/Reports/Draft", "/Reports/Download"];

    public void Dispose() => Limiter.Dispose();
}

/// <summary>Endpoint metadata: this page waits for a turn in <see cref="HeavyWork"/>.</summary>
public sealed class HeavyPage;

public static class HeavyWorkSetup
{
    public static IServiceCollection AddHeavyWork(this IServiceCollection services) => services.AddSingleton<HeavyWork>();

    /// <summary>After authorization (a refused or signed-out request takes no turn), before the page runs.</summary>
    public static IApplicationBuilder UseHeavyWork(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        if (ctx.GetEndpoint()?.Metadata.GetMetadata<HeavyPage>() is null)
        {
            await next();
            return;
        }
        RateLimitLease lease;
        try
        {
            lease = await ctx.RequestServices.GetRequiredService<HeavyWork>().Limiter.AcquireAsync(1, ctx.RequestAborted);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            return; // the client left while waiting: nobody reads the answer
        }
        using (lease)
        {
            if (!lease.IsAcquired)
            {
                ctx.Items[HeavyWork.BusyKey] = true;
                ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                ctx.Response.Headers.RetryAfter = "30";
                return;
            }
            await next();
        }
    });
}
