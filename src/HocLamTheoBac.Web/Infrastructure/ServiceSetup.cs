using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.WebEncoders;
using Npgsql;

namespace HocLamTheoBac.Web.Infrastructure;

public static class ServiceSetup
{
    public static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static IServiceCollection AddAppDatabase(this IServiceCollection services)
    {
        // Read lazily so hosts (tests, the command line) can supply the connection string late.
        services.AddSingleton(sp => BuildDataSource(sp.GetRequiredService<IConfiguration>()));
        services.AddScoped<ICurrentActor, HttpCurrentActor>();
        // The one clock: tests replace the TimeProvider; everything reads dates through VietnamCalendar.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<VietnamCalendar>();
        // The options are built once for the process (they hold only the data source and the save guard), not once per
        // request: every page creates a context (docs/performance.md, FLOOR).
        services.AddDbContext<AppDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()).AddInterceptors(SaveChangesGuard.Instance),
            optionsLifetime: ServiceLifetime.Singleton);
        services.AddAppHealthChecks();
        // Evidence files (site and command line: backup and restore carry them); the folder is checked at start-up.
        services.AddSingleton<HocLamTheoBac.Web.Pages.Pledges.EvidenceStore>();
        services.AddSingleton<StandbyReads.Holder>();
        services.AddStandbyReads();
        return services;
    }

    /// <summary>
    /// The connection of the role that owns the schema (migrations, backup, restore): ConnectionStrings:Owner,
    /// or ConnectionStrings:Default when one role does everything (a DBA's choice; docs/security.md).
    /// </summary>
    public static string OwnerConnectionString(IConfiguration config) =>
        config.GetConnectionString("Owner") is { Length: > 0 } owner ? owner
            : config.GetConnectionString("Default") ?? throw new StartupException("Chưa cấu hình chuỗi kết nối ConnectionStrings:Default.");

    /// <summary>A context connected as the schema owner, for migrations; disposed by the caller.</summary>
    public static AppDbContext NewOwnerContext(IConfiguration config) =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(OwnerConnectionString(config)).Options);

    /// <summary>Statements kept prepared per pooled connection unless the connection string says otherwise (Max Auto Prepare).</summary>
    public const int AutoPrepared = 64;

    /// <summary>Pooled connections the pool's pruning leaves open once opened, unless the connection string says otherwise
    /// (Minimum Pool Size; at most Maximum Pool Size): docs/adr/0040-pooled-backends-kept-warm.md.</summary>
    public const int WarmConnections = 32;

    /// <summary>
    /// Statements run on every request (the account's cookie check, a page's own queries) are prepared on each pooled
    /// connection after their second use, so PostgreSQL parses and plans them once per connection, not per request
    /// (docs/performance.md, "Fixed cost of a signed-in request"); connections are not reset when returned to the pool, and
    /// the pool keeps <see cref="WarmConnections"/> of them open once opened. A connection string that sets a keyword keeps its own value.
    /// </summary>
    public static string WithAutoPrepare(string cs)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = cs }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var b = new NpgsqlConnectionStringBuilder(cs);
        if (!given.Contains("maxautoprepare")) b.MaxAutoPrepare = AutoPrepared;
        if (!given.Contains("autoprepareminusages")) b.AutoPrepareMinUsages = 2;
        // A connection back in the pool is not reset (RESET ALL, DISCARD …: one more statement for PostgreSQL at each of a
        // request's ~15 opens): the site sets no session state — SET LOCAL, transaction-scoped locks and temporary tables
        // that drop at commit only; the migrator's session lock is released in its finally (docs/performance.md).
        if (!given.Contains("noresetonclose")) b.NoResetOnClose = true;
        // Pooled backends kept warm (ADR 0040): Npgsql's pruning closes, every Connection Idle Lifetime (300 s), as many
        // connections as were idle at the median of its 10-s samples, down to Minimum Pool Size (0 by default). Under a
        // steady load that is most of them (a request holds its connection for a fraction of its time), and the next
        // requests open them all again at once: new backends, cold caches, statements prepared again (16 dashboard views
        // of 1,0–1,6 s every 5 minutes under the bench's load; docs/performance.md, DASH21). Connections are still opened
        // on demand only, and those above the floor are closed after a burst as before.
        if (!given.Contains("minpoolsize") && !given.Contains("minimumpoolsize")) b.MinPoolSize = Math.Min(WarmConnections, b.MaxPoolSize);
        return b.ConnectionString;
    }

    public static NpgsqlDataSource BuildDataSource(IConfiguration config)
    {
        var cs = config.GetConnectionString("Default");
        if (string.IsNullOrWhiteSpace(cs))
            throw new StartupException("Chưa cấu hình chuỗi kết nối ConnectionStrings:Default.");
        try
        {
            return new NpgsqlDataSourceBuilder(WithAutoPrepare(cs)).Build();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new StartupException($"Chuỗi kết nối cơ sở dữ liệu không hợp lệ: {ex.Message}");
        }
    }

    public static IServiceCollection AddAppIdentity(this IServiceCollection services)
    {
        services.AddIdentity<AppUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = false;
                // Lockout thresholds come from configuration below (LoginThrottle): only a sustained attack locks an account.
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<VietnameseIdentityErrors>();
        services.AddOptions<IdentityOptions>().Configure<IConfiguration>((o, config) =>
        {
            o.Lockout.MaxFailedAccessAttempts = LoginThrottle.LockoutAfterFailures(config);
            o.Lockout.DefaultLockoutTimeSpan = LoginThrottle.LockoutDuration(config);
        });
        // A changed security stamp (sign-out, password change or reset) ends every copy of the cookie on its next request
        // (SessionCheck); this interval only paces Identity's refresh of the cookie's claims.
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IConfiguration>((o, config) =>
            o.ValidationInterval = TimeSpan.FromSeconds(config.GetValue("Auth:StampCheckSeconds", 60)));
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/Login";
            o.Cookie.Name = "hlb.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.Events.OnValidatePrincipal = SessionCheck.ValidateAsync;
        });
        return services;
    }

    public static IServiceCollection AddAppWeb(this IServiceCollection services, IWebHostEnvironment env, IConfiguration config)
    {
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddHttpContextAccessor();
        services.AddSharedDataProtection(config);
        services.AddAntiforgery(o => { o.Cookie.Name = "hlb.af"; o.Cookie.HttpOnly = true; o.Cookie.SameSite = SameSiteMode.Strict; o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; });
        services.Configure<CookieTempDataProviderOptions>(o => { o.Cookie.HttpOnly = true; o.Cookie.SameSite = SameSiteMode.Lax; o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; });
        services.AddLoginThrottle();
        services.AddHeavyWork();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Account/Login");
            o.Conventions.AllowAnonymousToPage("/Account/LoginWith2fa");
            o.Conventions.AllowAnonymousToPage("/Error");
            // Every page refuses a year or number in its address that is not one, or a year outside the system's (AddressNumbersFilter, ADR 0021).
            o.Conventions.AddFolderApplicationModelConvention("/", m => m.Filters.Add(new AddressNumbersFilter()));
            foreach (var page in HeavyWork.Pages)
                o.Conventions.AddPageApplicationModelConvention(page, m => m.EndpointMetadata.Add(new HeavyPage()));
        }).AddMvcOptions(o => { ValidationMessages.Apply(o.ModelBindingMessageProvider); o.ModelBinderProviders.Insert(0, new VietnameseDateBinderProvider()); o.ModelBinderProviders.Insert(0, new BlankTextBinderProvider()); o.Filters.Add(new UnknownHandlerFilter()); o.Filters.Add(new HiddenFieldsFilter()); o.Filters.Add(new YearClosedFilter()); o.Filters.Add<MustChangePasswordFilter>(); })
            // Validation is on the server only; without this, an empty summary renders <li style="display:none">, which the CSP blocks.
            .AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false);
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Vietnamese);
            o.SupportedCultures = [Vietnamese];
            o.SupportedUICultures = [Vietnamese];
            o.RequestCultureProviders.Clear();
        });
        services.AddScoped<AccessService>();
        services.AddScoped<HocLamTheoBac.Web.Pages.Pledges.Hints.PledgeHintService>();
        services.AddMemoryCache();
        services.AddSingleton<HocLamTheoBac.Web.Reports.DashboardRollups>();
        services.AddHostedService<HocLamTheoBac.Web.Reports.RollupChangesPruning>();
        return services;
    }

    public static void UseAppPipeline(this WebApplication app)
    {
        app.UseAppRequestLogging();
        app.UseMiddleware<OutageGuard>();
        app.UseExceptionHandler("/Error");
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        app.UseMiddleware<RequestGuard>();
        app.UseMiddleware<SecurityHeaders>();
        app.UseRequestLocalization();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseHeavyWork();
        app.MapHealth();
        app.MapRazorPages();
    }
}
