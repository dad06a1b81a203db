using Npgsql;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// The outermost middleware: when the database is unreachable anywhere in the request — including the
/// sign-in cookie's security-stamp re-check, which runs before any page and again when the error page is
/// re-executed — the answer is the Vietnamese 503 page with Retry-After, written without touching the
/// database (older cookies used to get an empty 500).
/// </summary>
public sealed class OutageGuard(RequestDelegate next, ILogger<OutageGuard> log)
{
    public const int RetryAfterSeconds = 30;

    /// <summary>Whether an error means the database cannot be reached now, or not through the pooled connections (the 503 page rather than a 500, and the pool dropped).</summary>
    public static bool IsDatabaseDown(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException) return true;
            // 25006: a node that was primary when the connection opened is a standby now (a failover in progress).
            if (e is PostgresException pg && (pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "25006")) return true;
            // Several hosts, none of them a primary at the moment (between the loss of one and the promotion of the other).
            if (e is NpgsqlException and not PostgresException && (e.Message.StartsWith("No suitable host", StringComparison.Ordinal) || e.Message.StartsWith("Unable to connect to a suitable host", StringComparison.Ordinal))) return true;
            if (e is InvalidOperationException && e.InnerException is NpgsqlException) return true;
            // A migration changed a column's type under the running site: the statements prepared on pooled connections no
            // longer fit ("cached plan must not change result type"; Npgsql may then report a broken prepared state).
            // The statement failed, so its transaction wrote nothing; dropping the pool (below) ends it at once.
            if (e is PostgresException { SqlState: "0A000", Routine: "RevalidateCachedQuery" }) return true;
            if (e is InvalidOperationException && e.Message.Contains("PreparedState", StringComparison.Ordinal) && e.StackTrace?.Contains(" Npgsql.", StringComparison.Ordinal) == true) return true;
        }
        return false;
    }

    public async Task InvokeAsync(HttpContext ctx)
    {
        try
        {
            await next(ctx);
        }
        catch (Exception ex) when (IsDatabaseDown(ex) && !ctx.Response.HasStarted)
        {
            log.LogWarning("Database unavailable: {Message}", ex.Message);
            ctx.RequestServices.GetService<NpgsqlDataSource>()?.Clear();
            await WriteAsync(ctx);
        }
    }

    public static async Task WriteAsync(HttpContext ctx)
    {
        ctx.Response.Clear();
        ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        ctx.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; frame-ancestors 'none'";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        ctx.Response.ContentType = "text/html; charset=utf-8";
        await ctx.Response.WriteAsync(Page);
    }

    private const string Page = """
        <!DOCTYPE html>
        <html lang="vi">
        <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>Hệ thống tạm thời gián đoạn – Học tập và làm theo Bác</title>
            <link rel="stylesheet" href="/lib/bootstrap/css/bootstrap.min.css" />
            <link rel="stylesheet" href="/css/site.css" />
        </head>
        <body>
        <main class="container py-4" id="main">
            <h1 class="h3">Hệ thống tạm thời gián đoạn</h1>
            <p>Hệ thống đang tạm thời không truy cập được dữ liệu. Dữ liệu của bạn không bị mất; vui lòng thử lại sau ít phút.</p>
            <p><a href="/">Thử lại</a></p>
        </main>
        </body>
        </html>
        """;
}
