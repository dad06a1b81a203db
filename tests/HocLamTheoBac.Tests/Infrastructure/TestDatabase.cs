using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Tests.Infrastructure;

/// <summary>
/// The throwaway cluster started by scripts/test.sh (HLB_TEST_PG). A migrated template is built once
/// per run; every test class gets its own database cloned from it (CREATE DATABASE … TEMPLATE).
/// </summary>
public static class TestDatabase
{
    private const string Template = "hlb_template";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _templateReady;

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("HLB_TEST_PG") ?? "Host=127.0.0.1;Port=5545;Username=postgres";

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, IncludeErrorDetail = true }.ConnectionString;

    public static async Task<string> CreateAsync(bool migrated = true)
    {
        var name = "hlb_t_" + Guid.NewGuid().ToString("N")[..16];
        await Gate.WaitAsync();
        try
        {
            if (migrated && !_templateReady)
            {
                await ExecAsync($"DROP DATABASE IF EXISTS {Template} WITH (FORCE)");
                await ExecAsync($"CREATE DATABASE {Template}");
                await using (var db = NewContext(ConnectionString(Template)))
                    await db.MigrateAsync();
                NpgsqlConnection.ClearAllPools();
                _templateReady = true;
            }
            await ExecAsync(migrated ? $"CREATE DATABASE {name} TEMPLATE {Template}" : $"CREATE DATABASE {name}");
        }
        finally
        {
            Gate.Release();
        }
        return ConnectionString(name);
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await ExecAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    public static AppDbContext NewContext(string connectionString, ICurrentActor? actor = null, HocLamTheoBac.Web.Domain.VietnamCalendar? clock = null) =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(connectionString).Options, actor, clock ?? TestClock.Calendar);

    public static async Task ExecAsync(string sql, string? connectionString = null)
    {
        await using var conn = new NpgsqlConnection(connectionString ?? ConnectionString("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
