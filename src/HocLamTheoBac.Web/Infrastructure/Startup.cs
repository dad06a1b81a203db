using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Infrastructure;

public static class Startup
{
    /// <summary>Checks the database once, then migrates and seeds when configured. On failure prints one line and returns false.</summary>
    public static async Task<bool> PrepareDatabaseAsync(WebApplication app)
    {
        var config = app.Configuration;
        await using var scope = app.Services.CreateAsyncScope();
        AppDbContext? db = null;
        try
        {
            // Refuses an evidence folder inside the published site (a StartupException, one line).
            scope.ServiceProvider.GetRequiredService<HocLamTheoBac.Web.Pages.Pledges.EvidenceStore>();
            db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var dataSource = scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>();
            await using (var c = await dataSource.OpenConnectionAsync()) { }
            var migrated = 0;
            if (config.GetValue("Database:MigrateOnStartup", false))
            {
                // Migrations run as the schema's owner; the site itself connects with a role that cannot change the schema.
                await using var owner = ServiceSetup.NewOwnerContext(config);
                migrated = (await owner.MigrateAsync(notify: message => app.Logger.LogWarning("{Message}", message))).Count;
            }
            if (migrated > 0)
            {
                // A migration may create types (ltree): make the pooled connections learn them.
                await using var c = await dataSource.OpenConnectionAsync();
                await c.ReloadTypesAsync();
            }
            if (config.GetValue("Database:SeedDemoIfEmpty", false))
                await DemoSeeder.SeedIfEmptyAsync(db, scope.ServiceProvider, CancellationToken.None, withActivity: true);
            return true;
        }
        catch (StartupException ex)
        {
            await Console.Error.WriteLineAsync($"Lỗi: {ex.Message}");
            return false;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"Lỗi: không kết nối hoặc chuẩn bị được cơ sở dữ liệu ({Describe(db)}): {OneLine(ex)}");
            return false;
        }
    }

    internal static string Describe(AppDbContext? db)
    {
        try
        {
            if (db is null) return "?";
            var b = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
            return $"{b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException) { return "?"; }
    }

    internal static string OneLine(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null && inner is not PostgresException) inner = inner.InnerException;
        // A table or column the program expects and the database lacks: the database is older than the program (the walk of
        // session 17 met "42703: column i.deleted_at does not exist" after an update without "hlb migrate").
        if (inner is PostgresException { SqlState: PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.UndefinedTable })
            return $"cơ sở dữ liệu chưa được cập nhật cho phiên bản này của chương trình: hãy chạy “hlb migrate” ({inner.Message.ReplaceLineEndings(" ")}).";
        return inner.Message.ReplaceLineEndings(" ");
    }
}
