using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Sign-in attempts are limited per client address (rate-limiting middleware, policy <see cref="Policy"/>)
/// and per account name and address together (checked by the login page before the password is tried), so
/// an attacker elsewhere cannot use up a real user's attempts. Over the limit the answer is 429 with the
/// Vietnamese error page. Limits come from Security:Login* settings. The account itself is locked only
/// after Security:LockoutAfterFailures failures in a row from anywhere (a sustained attack), until an
/// administrator lifts it or Security:LockoutHours pass, so passwords cannot be guessed at speed.
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

    /// <summary>False when this account name has had too many attempts from this address in the current window.</summary>
    public bool TryAttempt(string account, string? address)
    {
        using var lease = _perAccount.AttemptAcquire(account.Trim().ToUpperInvariant() + "|" + (address ?? "unknown"));
        return lease.IsAcquired;
    }

    public static int LockoutAfterFailures(IConfiguration config) => Math.Max(3, config.GetValue("Security:LockoutAfterFailures", 50));
    public static TimeSpan LockoutDuration(IConfiguration config) => TimeSpan.FromHours(Math.Max(1, config.GetValue("Security:LockoutHours", 24)));

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
