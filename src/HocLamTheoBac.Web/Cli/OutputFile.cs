namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// The file a verb writes (--out of hlb report and hlb backup): checked before the work, and a failure to write it said in
/// Vietnamese (the walk of session 19: "--out /tmp" printed "Access to the path '/tmp' is denied." after the report, and a
/// backup crashed with a stack trace, "Is a directory", after the whole dump).
/// </summary>
public static class OutputFile
{
    /// <summary>The full path of <paramref name="path"/>; refused when it names a folder or its folder does not exist (a
    /// backup created the missing folders, anywhere, as whoever ran it: the walk of session 19).</summary>
    public static string Check(string path, string example)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new CliFailure($"{full} là một thư mục: --out cần tên tệp, ví dụ {Path.Combine(full, example)}.");
        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
            throw Failure(full, new DirectoryNotFoundException());
        return full;
    }

    /// <summary>Why <paramref name="file"/> could not be written, in Vietnamese (the system's own words only when no other fits).</summary>
    public static CliFailure Failure(string file, Exception ex) => new($"không ghi được tệp {file}: " + ex switch
    {
        DirectoryNotFoundException => $"thư mục {Path.GetDirectoryName(file)} không tồn tại.",
        UnauthorizedAccessException => $"tài khoản đang chạy lệnh không có quyền ghi vào {Path.GetDirectoryName(file)}.",
        _ => $"lỗi của hệ thống tệp ({ex.Message}).",
    });
}
