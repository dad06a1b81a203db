using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// Evidence files: PDF, PNG or JPEG recognised by their first bytes (never by name or declared type), at most
/// <see cref="EvidenceLimits.BytesPerFile"/>, each written 0600 in folders 0700 that belong to the site's account.
/// The folder is <c>Storage:Uploads</c>, else <c>$HLB_HOME/uploads</c>, else the account's local data folder — never
/// inside the published site or its web root (refused at start-up), so nothing is served except through the
/// authorised handler /Pages/Pledges/Evidence. <c>hlb backup</c> and <c>hlb restore</c> carry the files with the rows.
/// </summary>
public sealed class EvidenceStore
{
    public string Root { get; }

    public EvidenceStore(IConfiguration config, IWebHostEnvironment? env = null)
    {
        // The web root lies inside the content root, so the content root covers it.
        var programRoots = new[] { env?.ContentRootPath, AppContext.BaseDirectory }
            .Where(p => !string.IsNullOrEmpty(p)).Select(p => Path.GetFullPath(p!)).ToList();
        Root = ResolveRoot(config, env?.ContentRootPath ?? AppContext.BaseDirectory);
        if (programRoots.FirstOrDefault(p => IsWithin(Root, p)) is { } inside)
            throw new StartupException($"Thư mục tệp minh chứng {Root} nằm trong thư mục chương trình {inside}. "
                                       + "Hãy đặt Storage:Uploads ra ngoài thư mục phát hành (ví dụ $HLB_HOME/uploads).");
    }

    /// <summary>Storage:Uploads (relative to the content root), else $HLB_HOME/uploads, else the local data folder.</summary>
    public static string ResolveRoot(IConfiguration config, string contentRoot)
    {
        if (config["Storage:Uploads"] is { Length: > 0 } configured) return Path.GetFullPath(configured, contentRoot);
        if (config["HLB_HOME"] is { Length: > 0 } home) return Path.GetFullPath(Path.Combine(home, "uploads"));
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.GetFullPath(Path.Combine(string.IsNullOrEmpty(local) ? "/var/lib" : local, "hoclamtheobac", "uploads"));
    }

    private static bool IsWithin(string path, string folder)
    {
        var f = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        return (Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar).StartsWith(f, StringComparison.Ordinal);
    }

    public static (string ContentType, string Extension)? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8)) return ("application/pdf", ".pdf");
        if (head.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return ("image/png", ".png");
        if (head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF })) return ("image/jpeg", ".jpg");
        return null;
    }

    public sealed record Stored(string RelativePath, string ContentType, long Size);

    /// <summary>Checks one upload's size and type; the Vietnamese refusal, or null.</summary>
    public static async Task<string?> CheckAsync(IFormFile file, CancellationToken ct)
    {
        if (file.Length == 0) return "Tệp trống.";
        if (file.Length > EvidenceLimits.BytesPerFile) return $"Tệp “{file.FileName}” quá lớn: tối đa {EvidenceLimits.BytesPerFile / (1024 * 1024)} MB.";
        var head = new byte[8];
        int read;
        await using (var s = file.OpenReadStream()) read = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        return Sniff(head.AsSpan(0, read)) is null ? $"Tệp “{file.FileName}” không phải PDF, PNG hoặc JPEG." : null;
    }

    /// <summary>Checks and stores one upload (0600); returns the Vietnamese refusal or the stored file.</summary>
    public async Task<(string? Error, Stored? File)> SaveAsync(IFormFile file, int year, CancellationToken ct)
    {
        if (await CheckAsync(file, ct) is { } refusal) return (refusal, null);
        var head = new byte[8];
        int read;
        await using (var s = file.OpenReadStream()) read = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var kind = Sniff(head.AsSpan(0, read))!.Value;
        var relative = Path.Combine(year.ToString(System.Globalization.CultureInfo.InvariantCulture), Guid.NewGuid().ToString("N") + kind.Extension);
        await using (var source = file.OpenReadStream())
            await WriteAsync(relative, source, ct);
        return (null, new Stored(relative, kind.ContentType, file.Length));
    }

    /// <summary>Writes a file under the root (0600, folders 0700), replacing one of the same name (restore).</summary>
    public async Task WriteAsync(string relative, Stream content, CancellationToken ct)
    {
        var full = FullPath(relative);
        PrivateFiles.RestrictDirectory(Root);
        var dir = Root;
        foreach (var part in (Path.GetDirectoryName(Path.GetRelativePath(Root, full)) ?? "").Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
            PrivateFiles.EnsureDirectory(dir = Path.Combine(dir, part));
        var temp = full + ".partial";
        File.Delete(temp);
        try
        {
            await using (var target = PrivateFiles.CreateNew(temp))
                await content.CopyToAsync(target, ct);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Deletes a stored file (a removed piece of evidence, or one whose row was not saved). Missing is fine.</summary>
    public void Delete(string relative) => File.Delete(FullPath(relative));

    public string FullPath(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (!IsWithin(full, Root) || string.Equals(full, Root, StringComparison.Ordinal)) throw new InvalidOperationException("đường dẫn tệp không hợp lệ");
        return full;
    }

    /// <summary>A safe download name: the uploaded name without folders, with the extension of the real type.</summary>
    public static string SafeName(string fileName, string contentType)
    {
        var name = Path.GetFileNameWithoutExtension(Path.GetFileName(fileName.Replace('\\', '/')));
        if (string.IsNullOrWhiteSpace(name)) name = "minh-chung";
        if (name.Length > 200) name = name[..200];
        var ext = contentType switch { "application/pdf" => ".pdf", "image/png" => ".png", _ => ".jpg" };
        return name + ext;
    }
}
