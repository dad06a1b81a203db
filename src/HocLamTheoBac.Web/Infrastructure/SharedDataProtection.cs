using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>A data-protection key as stored in PostgreSQL (table data_protection_keys), shared by every site instance.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public required string FriendlyName { get; set; }
    public required string Xml { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class SharedDataProtection
{
    /// <summary>
    /// Keys in the database, one application name: a cookie or antiforgery token issued by one instance
    /// is read by any other (the package DataProtection.EntityFrameworkCore is not available here).
    /// </summary>
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("HocLamTheoBac");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<NpgsqlDataSource>())));
        return services;
    }
}

/// <summary>
/// <see cref="IXmlRepository"/> over data_protection_keys. The interface is synchronous; calls are rare
/// (start-up, key refresh about once a day, key creation every 90 days).
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var conn = dataSource.OpenConnection();
        using var cmd = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY id", conn);
        var list = new List<XElement>();
        try
        {
            using var r = cmd.ExecuteReader();
            while (r.Read()) list.Add(XElement.Parse(r.GetString(0)));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Before migrations (readiness checks on a fresh database): no keys yet.
        }
        return list;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var conn = dataSource.OpenConnection();
        using var cmd = new NpgsqlCommand("INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES ($1, $2, now())", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        cmd.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        cmd.ExecuteNonQuery();
    }
}
