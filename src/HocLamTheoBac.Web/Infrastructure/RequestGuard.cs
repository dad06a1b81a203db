namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Refuses, before any page runs, requests the database or the form reader would otherwise turn into a
/// 500 or a misleading message: a NUL character in the query or a URL-encoded form (PostgreSQL
/// rejects it in text, 22021) answers 400; a body larger than the server accepts answers 413; an address longer than
/// <see cref="LongestAddress"/> answers 414. All end on the Vietnamese error page (status-code pages).
/// </summary>
public sealed class RequestGuard(RequestDelegate next, IConfiguration config)
{
    /// <summary>The longest address (path and query) a page is asked with: no link of the site comes near it. Longer ones get
    /// the Vietnamese 414 page, up to <see cref="LongestRequestLine"/>, which Kestrel accepts so that they reach this guard
    /// (beyond it Kestrel answers 414 itself, without a page: the walk of session 15).</summary>
    public const int LongestAddress = 8 * 1024;
    public const int LongestRequestLine = 64 * 1024;

    /// <summary>Kestrel's limits the guard relies on (Program.cs).</summary>
    public static void ConfigureKestrel(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions o) =>
        o.Limits.MaxRequestLineSize = LongestRequestLine;

    /// <summary>Largest request body: Security:MaxRequestMegabytes (default 30, Kestrel's own default).</summary>
    private readonly long _max = Math.Max(1, config.GetValue("Security:MaxRequestMegabytes", 30)) * 1024L * 1024;

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null
            || ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null)
        {
            await next(ctx);
            return;
        }
        if (ctx.Request.ContentLength > _max)
        {
            ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            ctx.Response.Headers.Connection = "close";
            return;
        }
        if ((ctx.Request.Path.Value?.Length ?? 0) + (ctx.Request.QueryString.Value?.Length ?? 0) > LongestAddress)
        {
            ctx.Response.StatusCode = StatusCodes.Status414UriTooLong;
            return;
        }
        if (ctx.Request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true || HasNul(ctx.Request.Path.Value))
        {
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (ctx.Request.HasFormContentType && ctx.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            IFormCollection form;
            try { form = await ctx.Request.ReadFormAsync(ctx.RequestAborted); }
            catch (InvalidDataException) { ctx.Response.StatusCode = StatusCodes.Status400BadRequest; return; }
            if (form.Any(f => f.Value.Any(HasNul) || HasNul(f.Key)))
            {
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }
        await next(ctx);
    }

    private static bool HasNul(string? s) => s is not null && s.Contains('\0');
}
