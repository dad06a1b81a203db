using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Sign-in attempts are limited per client address (rate-limiting middleware, policy <see cref="Policy"/>)
/// and per account name (checked by the login page before the password is tried). Over the limit the
/// answer is 429 with the Vietnamese error page. Limits come from Security:Login* settings.
/// Behind a reverse proxy, configure forwarded headers so the client address is the real one.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    public const string Policy = "login";
    private readonly PartitionedRateLimiter<string> _perAccount;

    public LoginThrottle(IConfiguration config)
    {
        var (perAccount, _, window) = Limits(config);
        _perAccount = PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetFixedWindowLimiter(account,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perAccount, Window = window, QueueLimit = 0 }));
    }

    /// <summary>False when this account name has had too many attempts in the current window.</summary>
    public bool TryAttempt(string account)
    {
        using var lease = _perAccount.AttemptAcquire(account.Trim().ToUpperInvariant());
        return lease.IsAcquired;
    }

    public void Dispose() => _perAccount.Dispose();

    public static (int PerAccount, int PerAddress, TimeSpan Window) Limits(IConfiguration config) => (
        Math.Max(1, config.GetValue("Security:LoginPerAccount", 10)),
        Math.Max(1, config.GetValue("Security:LoginPerAddress", 60)),
        TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Security:LoginWindowSeconds", 300))));
}

public static class LoginThrottleSetup
{
    public static IServiceCollection AddLoginThrottle(this IServiceCollection services)
    {
        services.AddSingleton<LoginThrottle>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((o, config) =>
        {
            var (_, perAddress, window) = LoginThrottle.Limits(config);
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginThrottle.Policy, ctx => HttpMethods.IsPost(ctx.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perAddress, Window = window, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("read"));
        });
        return services;
    }
}
