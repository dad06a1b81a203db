namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Files only the site's own OS account may read (mode 0600, folders 0700): keys, evidence, backups, logs.
/// The one place that sets those modes (no effect on Windows, where folder ACLs apply).
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirMode700 = FileMode600 | UnixFileMode.UserExecute;

    public static void EnsureDirectory(string path)
    {
        if (Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, DirMode700);
    }

    /// <summary>Creates the folder if needed and makes it 0700 (an existing folder of the site's own too). A shared folder
    /// (sticky, such as /tmp) is never narrowed: other programs live in it (a test's log file in /tmp once made it 0700
    /// and stopped the PostgreSQL clusters kept there).</summary>
    public static void RestrictDirectory(string path)
    {
        EnsureDirectory(path);
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.StickyBit) == 0) File.SetUnixFileMode(path, DirMode700);
    }

    /// <summary>A new file (fails if it exists), created with mode 0600 from the start.</summary>
    public static FileStream CreateNew(string path)
    {
        var o = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) o.UnixCreateMode = FileMode600;
        return new FileStream(path, o);
    }

    /// <summary>Sets mode 0600 on an existing file (written by another program, e.g. pg_dump).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path)) File.SetUnixFileMode(path, FileMode600);
    }

    public static bool IsPrivate(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & ~(FileMode600 | UnixFileMode.UserExecute)) == 0;
}
