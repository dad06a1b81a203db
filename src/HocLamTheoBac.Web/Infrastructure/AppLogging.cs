using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Serilog;
using Serilog.Events;
using Serilog.Settings.Configuration;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>Serilog the ASP.NET Core way: levels, overrides by namespace, console and extra sinks from the
/// "Serilog" section of appsettings; the rolling file from Logging:File (empty: none). One line per request
/// from <c>UseSerilogRequestLogging</c>.</summary>
public static class AppLogging
{
    public const string RequestTemplate =
        "HTTP {RequestMethod} {RequestPath} {StatusCode} {Elapsed:0.0} ms user={User} unit={Unit} route={Route}";

    /// <summary>The logger is built per host (not the static Log.Logger): several test hosts share one process.</summary>
    public static void AddAppLogging(this WebApplicationBuilder builder)
    {
        builder.Host.UseSerilog((context, services, lc) => Configure(lc, context.Configuration, services), preserveStaticLogger: true);
    }

    public static LoggerConfiguration Configure(LoggerConfiguration lc, IConfiguration config, IServiceProvider? services = null)
    {
        // Sink assemblies named explicitly: a published or single-file app has no dependency context to scan.
        var options = new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly);
        lc.ReadFrom.Configuration(config, options).Enrich.FromLogContext();
        if (services is not null) lc.ReadFrom.Services(services);
        var file = config["Logging:File"];
        if (!string.IsNullOrWhiteSpace(file))
        {
            // Log files name accounts and addresses: each day's file is created 0600 before the sink opens it, whatever
            // the umask the site was started with, and a folder the site creates for them is 0700. A folder that
            // already exists (/var/log, /tmp) is the operator's and keeps its mode: narrowing it locked every other
            // program out of it.
            PrivateFiles.EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            lc.WriteTo.Sink(new PrivateDailyFile(file, () => new LoggerConfiguration().MinimumLevel.Verbose()
                .WriteTo.File(file, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, shared: true).CreateLogger()));
        }
        return lc;
    }

    /// <summary>Placed first in the pipeline, outside the error pages' re-execution, so each request logs exactly once.
    /// The path never carries the query string (it may carry tokens).</summary>
    public static void UseAppRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(o =>
        {
            // This host's logger: without it the middleware writes to the static Log.Logger, which no host sets.
            o.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            o.MessageTemplate = RequestTemplate;
            o.IncludeQueryInRequestPath = false;
            o.GetLevel = (ctx, _, ex) =>
                ex is not null || ctx.Response.StatusCode >= 500 ? LogEventLevel.Error
                : ctx.Request.Path.StartsWithSegments("/healthz") || ctx.Request.Path.StartsWithSegments("/readyz") ? LogEventLevel.Debug
                : LogEventLevel.Information;
            o.EnrichDiagnosticContext = (diag, ctx) =>
            {
                diag.Set("User", ctx.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "-");
                diag.Set("Unit", UnitOf(ctx) ?? "-");
                diag.Set("Route", (ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "-");
            };
        });
    }

    /// <summary>The organisation unit the request is about: the route's {unitId} (grid, dashboard, reports), the "org" of the
    /// query or of a form already read by the page (never reads a body itself).</summary>
    private static string? UnitOf(HttpContext ctx)
    {
        if (ctx.Request.RouteValues.TryGetValue("unitId", out var r) && r is not null && r.ToString() is { Length: > 0 } unit) return unit;
        if (ctx.Request.Query.TryGetValue("org", out var q) && !string.IsNullOrEmpty(q)) return q.ToString();
        var form = ctx.Features.Get<IFormFeature>()?.Form;
        return form is not null && form.TryGetValue("Org", out var f) && !string.IsNullOrEmpty(f) ? f.ToString() : null;
    }
}

/// <summary>
/// The daily rolling file of Serilog, each day's file created empty with mode 0600 (<see cref="PrivateFiles"/>) before the
/// shared file sink opens it for appending (that sink takes no lifecycle hooks). Names follow Serilog's daily rolling:
/// <c>hlb-.log</c> → <c>hlb-20261130.log</c>, by local date as Serilog does.
/// </summary>
public sealed class PrivateDailyFile : Serilog.Core.ILogEventSink, IDisposable
{
    private readonly string _template;
    private readonly Serilog.Core.Logger _inner;
    private DateOnly _prepared;

    public PrivateDailyFile(string template, Func<Serilog.Core.Logger> inner)
    {
        _template = Path.GetFullPath(template);
        Prepare(DateOnly.FromDateTime(DateTime.Now));
        _inner = inner();
    }

    public static string PathFor(string template, DateOnly day) =>
        Path.Combine(Path.GetDirectoryName(template)!, Path.GetFileNameWithoutExtension(template) + day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + Path.GetExtension(template));

    public void Emit(LogEvent logEvent)
    {
        var today = DateOnly.FromDateTime(DateTime.Now);
        if (today != _prepared) Prepare(today);
        _inner.Write(logEvent);
    }

    private void Prepare(DateOnly day)
    {
        var path = PathFor(_template, day);
        try
        {
            if (!File.Exists(path)) using (PrivateFiles.CreateNew(path)) { }
            PrivateFiles.Restrict(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another instance created it a moment ago, or it belongs to another account: the sink reports what it cannot open.
        }
        _prepared = day;
    }

    public void Dispose() => _inner.Dispose();
}
