using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Infrastructure;

public static class Health
{
    /// <summary>/healthz: the process answers. /readyz: the database answers and has every migration. Neither says why.</summary>
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapGet("/readyz", async (AppDbContext db, CancellationToken ct) =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                var pending = await db.Database.GetPendingMigrationsAsync(timeout.Token);
                return pending.Any() ? Results.Text("not ready", statusCode: 503) : Results.Text("ready");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return Results.Text("not ready", statusCode: 503);
            }
        }).AllowAnonymous();
    }
}
