using HocLamTheoBac.Web.Data;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// One pooled connection for a signed-in page view instead of one per statement (issue 16, docs/performance.md "One
/// connection a view"). EF opens and closes the context's connection around each statement, and every return to
/// Npgsql's pool makes the next statement carry the pool's reset (seven statements: <c>SET SESSION AUTHORIZATION
/// DEFAULT; RESET ALL; CLOSE ALL; …</c>): a member's page paid it four times. For a GET of a light page the cookie
/// check (<see cref="SessionCheck"/>) opens the connection, and the account, the page's own queries and its view use it;
/// it goes back to the pool (reset once) when the request's context is disposed — or as soon as the handler is done when
/// it answers anything but the page's own HTML (a file, a redirect), so a slow download never holds it (<see cref="Filter"/>).
/// Never kept: a POST (its body, an upload perhaps, is read after the cookie check, at the client's pace) and the heavy
/// pages (<see cref="HeavyPage"/>: their turn may be a long wait).
/// </summary>
public static class RequestConnection
{
    private const string Key = "hlb.request-connection";

    /// <summary>Whether this request keeps the connection opened by its cookie check: a GET (or HEAD) of a Razor page that is not heavy.</summary>
    public static bool Keeps(HttpContext http) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && http.GetEndpoint()?.Metadata is { } m && m.GetMetadata<CompiledPageActionDescriptor>() is not null && m.GetMetadata<HeavyPage>() is null;

    /// <summary>Called by the cookie check before it reads the account: opens the request's connection when <see cref="Keeps"/>.</summary>
    public static async Task OpenAsync(HttpContext http, AppDbContext db, CancellationToken ct)
    {
        if (!Keeps(http) || http.Items.ContainsKey(Key)) return;
        await db.Database.OpenConnectionAsync(ct);
        http.Items[Key] = true;
    }

    /// <summary>Gives the connection back to the pool now, if the cookie check kept it open (EF opens one again on demand).</summary>
    public static async Task ReleaseAsync(HttpContext http, AppDbContext db)
    {
        if (!http.Items.Remove(Key)) return;
        await db.Database.CloseConnectionAsync();
    }

    /// <summary>After the handler: a result other than the page's HTML (file, redirect, status) releases the connection before it is written.</summary>
    public sealed class Filter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            var executed = await next();
            if (executed.Result is null or PageResult) return;
            await ReleaseAsync(context.HttpContext, context.HttpContext.RequestServices.GetRequiredService<AppDbContext>());
        }
    }
}
