using Serilog;
using Serilog.Events;

namespace HocLamTheoBac.Web.Infrastructure;

public static class AppLogging
{
    /// <summary>Levels come from Serilog:MinimumLevel (Default and Override:*); the file sink only when Logging:File is set. The logger stays local (several test hosts share a process).</summary>
    public static Serilog.ILogger Create(IConfiguration config)
    {
        var lc = new LoggerConfiguration()
            .MinimumLevel.Is(Level(config["Serilog:MinimumLevel:Default"], LogEventLevel.Information))
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        foreach (var o in config.GetSection("Serilog:MinimumLevel:Override").GetChildren())
            lc = lc.MinimumLevel.Override(o.Key, Level(o.Value, LogEventLevel.Warning));
        lc = lc
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}");
        var file = config["Logging:File"];
        if (!string.IsNullOrWhiteSpace(file))
        {
            // Log files name accounts and addresses: their folder is the site account's only (0700);
            // scripts/run.sh also starts the site with umask 077, so the files themselves are 0600.
            PrivateFiles.RestrictDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            lc = lc.WriteTo.File(file, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, shared: true);
        }
        return lc.CreateLogger();
    }

    private static LogEventLevel Level(string? value, LogEventLevel fallback) =>
        Enum.TryParse<LogEventLevel>(value, ignoreCase: true, out var l) ? l : fallback;
}

/// <summary>One line per request: method, path (never the query string: it may carry tokens), status, milliseconds, user id.</summary>
public sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> log)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next(ctx);
        }
        finally
        {
            var ms = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var user = ctx.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "-";
            log.LogInformation("HTTP {Method} {Path} {Status} {Elapsed:0.0} ms user={User}", ctx.Request.Method, ctx.Request.Path.Value, ctx.Response.StatusCode, ms, user);
        }
    }
}
