using HocLamTheoBac.Web.Infrastructure;
using Microsoft.Extensions.Configuration;
using Serilog;

namespace HocLamTheoBac.Tests.Security;

/// <summary>Issue 13 (low): log files name accounts and addresses and were world-readable (0644 under the usual umask).</summary>
public sealed class LogFileTests
{
    /// <summary>Logs one sign-in line through the site's logging set-up, its file named in <paramref name="dir"/>.</summary>
    private static void WriteOneLine(string dir)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:File"] = Path.Combine(dir, "hlb-.log"),
            ["Serilog:MinimumLevel:Default"] = "Information",
        }).Build();
        using var logger = AppLogging.Configure(new LoggerConfiguration(), config).CreateLogger();
        logger.Information("Sign-in succeeded for {User}", "bithu@hlb.local");
    }

    [Fact]
    public void The_log_file_is_created_0600_in_a_0700_folder_whatever_the_umask()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"hlb-logs-{Guid.NewGuid():N}", "logs");
        try
        {
            WriteOneLine(dir);
            var file = Assert.Single(Directory.GetFiles(dir));
            Assert.Contains("bithu@hlb.local", File.ReadAllText(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }

    /// <summary>Session 21: a log file named in an existing folder (here a shared, sticky one like /tmp) made that folder
    /// 0700 and locked every other program out of it. The folder keeps its mode; the file is still 0600.</summary>
    [Fact]
    public void A_log_file_in_an_existing_folder_leaves_the_folders_mode_alone()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"hlb-shared-{Guid.NewGuid():N}");
        const UnixFileMode shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit;
        Directory.CreateDirectory(dir);
        try
        {
            File.SetUnixFileMode(dir, shared);
            WriteOneLine(dir);
            Assert.Equal(shared, File.GetUnixFileMode(dir));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Assert.Single(Directory.GetFiles(dir))));
            PrivateFiles.RestrictDirectory(dir); // the evidence store's root set to a shared folder: not narrowed either
            Assert.Equal(shared, File.GetUnixFileMode(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
