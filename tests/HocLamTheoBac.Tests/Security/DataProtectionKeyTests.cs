using System.Security.Cryptography;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Issue 13, critical finding: the key ring was stored in clear in the database, so anyone who could read
/// the table could mint sign-in cookies. Keys are now encrypted with a certificate kept outside the database.
/// </summary>
public sealed class DataProtectionKeyTests(DataProtectionKeyTests.Site site) : IClassFixture<DataProtectionKeyTests.Site>
{
    public sealed class Site : AppFactory;

    [Fact]
    public async Task Keys_in_the_database_are_encrypted_and_useless_without_the_certificate_file()
    {
        // Signing in makes the site create (and store) its first key.
        await site.SignedInAsync("admin@hlb.local");
        var protectedText = site.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("bí mật");

        var xml = await site.DbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        Assert.NotEmpty(xml);
        Assert.All(xml, x =>
        {
            Assert.Contains("EncryptedXmlDecryptor", x);
            Assert.DoesNotContain("<value>", x);
        });
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyCertificate.PathFrom(site.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>())));

        // The same database through the official store, but without the certificate: nothing can be read.
        await using (var without = Provider(services => services.AddDataProtection().SetApplicationName("HocLamTheoBac").PersistKeysToDbContext<AppDbContext>()))
            Assert.ThrowsAny<CryptographicException>(() => without.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));

        // With a different (attacker's) certificate neither.
        var otherFile = Path.Combine(Path.GetTempPath(), "hlb-other-" + Guid.NewGuid().ToString("N")[..8], "k.pfx");
        var other = KeyCertificate.LoadOrCreate(otherFile, null);
        await using (var wrong = Provider(services => services.AddDataProtection().SetApplicationName("HocLamTheoBac").PersistKeysToDbContext<AppDbContext>()
                         .ProtectKeysWithCertificate(other).UnprotectKeysWithAnyCertificate(other)))
            Assert.ThrowsAny<CryptographicException>(() => wrong.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
        Directory.Delete(Path.GetDirectoryName(otherFile)!, recursive: true);

        // With the file, the same code reads it (so the refusals above come from the missing key, nothing else).
        var cert = KeyCertificate.LoadOrCreate(TestKeys.CertificateFile, null);
        await using (var with = Provider(services => services.AddDataProtection().SetApplicationName("HocLamTheoBac").PersistKeysToDbContext<AppDbContext>()
                         .ProtectKeysWithCertificate(cert).UnprotectKeysWithAnyCertificate(cert)))
            Assert.Equal("bí mật", with.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
    }

    [Fact]
    public async Task Migrating_the_old_key_table_to_the_official_store_keeps_every_key()
    {
        var cs = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            await using (var db = TestDatabase.NewContext(cs))
            {
                await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().First());
                await db.Database.ExecuteSqlRawAsync("INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES ('key-1', '<key id=\"1\"/>', '2026-01-02T03:04:05Z')");
            }
            await using (var db = TestDatabase.NewContext(cs))
            {
                await db.MigrateAsync();
                var key = await db.DataProtectionKeys.SingleAsync();
                Assert.Equal(("key-1", "<key id=\"1\"/>"), (key.FriendlyName, key.Xml));
                Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
                    await db.Database.SqlQueryRaw<DateTimeOffset>("SELECT created_at AS \"Value\" FROM data_protection_keys").SingleAsync());
            }
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    private ServiceProvider Provider(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<AppDbContext>(o => o.UseNpgsql(site.ConnectionString));
        configure(services);
        return services.BuildServiceProvider();
    }
}
