using System.Runtime.CompilerServices;

// The tests run on Linux only (PostgreSQL clusters through runuser, file modes, Chromium).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace HocLamTheoBac.Tests.Infrastructure;

/// <summary>
/// One data-protection certificate for the whole test run (generated on first use, like a site's first
/// start), so several in-process instances on one database read each other's keys.
/// </summary>
public static class TestKeys
{
    public static readonly string CertificateFile = Path.Combine(Path.GetTempPath(), $"hlb-test-keys-{Environment.ProcessId}", "data-protection.pfx");

    [ModuleInitializer]
    internal static void Use()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DataProtection__CertificateFile")))
            Environment.SetEnvironmentVariable("DataProtection__CertificateFile", CertificateFile);
    }
}
