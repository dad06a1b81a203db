using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HocLamTheoBac.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace HocLamTheoBac.Web.Infrastructure;

public static class SharedDataProtection
{
    /// <summary>
    /// Keys in PostgreSQL through the official EF Core store (table data_protection_keys), one application
    /// name, so a cookie or antiforgery token issued by one instance is read by any other; every key is
    /// encrypted with a certificate kept outside the database (<see cref="KeyCertificate"/>), so a copy of
    /// the table alone cannot mint cookies (docs/security.md, "Khóa bảo vệ dữ liệu").
    /// </summary>
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services, IConfiguration config)
    {
        var cert = KeyCertificate.LoadOrCreate(KeyCertificate.PathFrom(config), config["DataProtection:CertificatePassword"]);
        services.AddDataProtection()
            .SetApplicationName("HocLamTheoBac")
            .PersistKeysToDbContext<AppDbContext>()
            .ProtectKeysWithCertificate(cert)
            .UnprotectKeysWithAnyCertificate(cert);
        return services;
    }
}

/// <summary>
/// The certificate that encrypts the data-protection keys: DataProtection:CertificateFile (a PKCS#12 file,
/// supplied by the operator or generated on first start, mode 0600), by default under HLB_HOME.
/// </summary>
public static class KeyCertificate
{
    public static string PathFrom(IConfiguration config)
    {
        if (config["DataProtection:CertificateFile"] is { Length: > 0 } p) return p;
        var home = Environment.GetEnvironmentVariable("HLB_HOME") is { Length: > 0 } h ? h
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "hoclamtheobac");
        return Path.Combine(home, "keys", "data-protection.pfx");
    }

    public static X509Certificate2 LoadOrCreate(string path, string? password)
    {
        if (!File.Exists(path)) Create(path, password);
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            throw new StartupException($"Không đọc được chứng thư khóa bảo vệ dữ liệu {path}: {ex.Message}");
        }
    }

    /// <summary>Writes a new self-signed RSA certificate; when several instances start together, the first file written wins.</summary>
    private static void Create(string path, string? password)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            PrivateFiles.EnsureDirectory(dir);
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest("CN=HocLamTheoBac data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
            // A certificate's validity is checked against the real clock, never the app's (testable) one.
            var now = TimeProvider.System.GetUtcNow();
            using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            using (var fs = PrivateFiles.CreateNew(temp))
                fs.Write(cert.Export(X509ContentType.Pkcs12, password));
            try { File.Move(temp, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { File.Delete(temp); }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Không tạo được chứng thư khóa bảo vệ dữ liệu {path}: {ex.Message}");
        }
    }
}
