namespace HocLamTheoBac.Web.Infrastructure;

public sealed class SecurityHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        var h = ctx.Response.Headers;
        h["Content-Security-Policy"] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        h["X-Content-Type-Options"] = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h["X-Frame-Options"] = "DENY";
        // Pages of a signed-in person hold personal records: never kept by browsers or shared caches.
        ctx.Response.OnStarting(() =>
        {
            if (ctx.User.Identity?.IsAuthenticated == true && !ctx.Response.Headers.ContainsKey("Cache-Control"))
                ctx.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(ctx);
    }
}
