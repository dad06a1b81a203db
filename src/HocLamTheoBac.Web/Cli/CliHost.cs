using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HocLamTheoBac.Web.Cli;

/// <summary>The services a verb needs: the same database registration as the site, without the web.</summary>
public sealed class CliHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    public IServiceProvider Services => _provider;

    private CliHost(ServiceProvider provider) => _provider = provider;

    /// <summary>The verbs' services; <paramref name="clock"/> replaces the system clock (tests).</summary>
    public static CliHost Create(IConfiguration? configuration, VietnamCalendar? clock = null)
    {
        var config = configuration ?? new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        if (clock is not null) services.AddSingleton(clock);
        services.AddAppDatabase();
        services.RemoveAll<ICurrentActor>();
        services.AddScoped<CliActor>();
        services.AddScoped<ICurrentActor>(sp => sp.GetRequiredService<CliActor>());
        services.AddDataProtection();
        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddErrorDescriber<VietnameseIdentityErrors>();
        services.AddScoped<AccessService>(sp => new AccessService(sp.GetRequiredService<AppDbContext>()));
        return new CliHost(services.BuildServiceProvider());
    }

    public AppDbContext Db() => _provider.CreateScope().ServiceProvider.GetRequiredService<AppDbContext>();

    /// <summary>A scope acting as the operator, or as the account named by --as (refused if unknown).</summary>
    public async Task<(AsyncServiceScope Scope, AppDbContext Db, AccessService Access, UserScope User)> ActAsync(CliArgs a, CancellationToken ct)
    {
        var scope = _provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = UserScope.Operator;
        if (a.Get("as") is { } email)
        {
            user = await AccessService.LoadByEmailAsync(db, email, ct) ?? throw new CliFailure($"không có tài khoản {email}.");
            // A locked account acts for nobody, here as on the site (the walk of session 17).
            var lockoutEnd = await db.Users.Where(u => u.Id == user.UserId).Select(u => u.LockoutEnd).SingleAsync(ct);
            if (AccountLock.Of(lockoutEnd, db.Clock.Now) is var state and not AccountLock.State.Active)
                throw new CliFailure($"tài khoản {email} {state.Label().ToLowerInvariant()}: không thể thao tác thay tài khoản này.");
            scope.ServiceProvider.GetRequiredService<CliActor>().Actor = new CurrentActor(email + " (dòng lệnh)", user.UserId);
        }
        var access = scope.ServiceProvider.GetRequiredService<AccessService>();
        access.UseScope(user);
        return (scope, db, access, user);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}

/// <summary>The actor of a command-line scope; set from --as after the account is looked up.</summary>
public sealed class CliActor : ICurrentActor
{
    public ICurrentActor Actor { get; set; } = CurrentActor.Operator;
    public string Name => Actor.Name;
    public string? UserId => Actor.UserId;
}
