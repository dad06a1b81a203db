using HocLamTheoBac.Web.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>/healthz: the process answers (no check runs). /readyz: the database answers, is writable (a primary,
/// not a standby left behind after a failover) and has every migration. Neither says why.</summary>
public static class Health
{
    private const string Ready = "ready";

    public static IServiceCollection AddAppHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: [Ready], customTestQuery: DatabaseReadyAsync);
        // A database that does not answer within 3 s is not ready (the check service turns the timeout into Unhealthy).
        services.Configure<HealthCheckServiceOptions>(o => { foreach (var r in o.Registrations) r.Timeout = TimeSpan.FromSeconds(3); });
        return services;
    }

    private static async Task<bool> DatabaseReadyAsync(AppDbContext db, CancellationToken ct) =>
        !(await db.Database.GetPendingMigrationsAsync(ct)).Any()
        && !await db.Database.SqlQueryRaw<bool>("SELECT pg_is_in_recovery() AS \"Value\"").SingleAsync(ct);

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", Options(_ => false, "ok")).AllowAnonymous();
        app.MapHealthChecks("/readyz", Options(r => r.Tags.Contains(Ready), Ready)).AllowAnonymous();
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate, string healthyText) => new()
    {
        Predicate = predicate,
        ResponseWriter = (ctx, report) =>
        {
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            return ctx.Response.WriteAsync(report.Status == HealthStatus.Healthy ? healthyText : "not ready");
        },
    };
}
