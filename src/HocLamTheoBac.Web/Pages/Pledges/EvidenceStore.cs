namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// Evidence files: PDF, PNG or JPEG recognised by their first bytes (never by name or declared type),
/// at most <see cref="MaxBytes"/>, stored outside wwwroot under Storage:Uploads (default App_Data/uploads).
/// </summary>
public sealed class EvidenceStore(IConfiguration config, IWebHostEnvironment env)
{
    public const long MaxBytes = 5 * 1024 * 1024;

    public string Root => config["Storage:Uploads"] is { Length: > 0 } r
        ? Path.GetFullPath(r, env.ContentRootPath)
        : Path.Combine(env.ContentRootPath, "App_Data", "uploads");

    public static (string ContentType, string Extension)? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8)) return ("application/pdf", ".pdf");
        if (head.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return ("image/png", ".png");
        if (head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF })) return ("image/jpeg", ".jpg");
        return null;
    }

    /// <summary>Checks and stores one upload; returns the Vietnamese refusal or the stored file's relative path and type.</summary>
    public async Task<(string? Error, string? RelativePath, string? ContentType)> SaveAsync(IFormFile file, int year, CancellationToken ct)
    {
        if (file.Length == 0) return ("Tệp trống.", null, null);
        if (file.Length > MaxBytes) return ($"Tệp “{file.FileName}” quá lớn: tối đa 5 MB.", null, null);
        var head = new byte[8];
        int read;
        await using (var s = file.OpenReadStream()) read = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (Sniff(head.AsSpan(0, read)) is not { } kind)
            return ($"Tệp “{file.FileName}” không phải PDF, PNG hoặc JPEG.", null, null);
        var relative = Path.Combine(year.ToString(System.Globalization.CultureInfo.InvariantCulture), Guid.NewGuid().ToString("N") + kind.Extension);
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using (var target = File.Create(full))
        await using (var source = file.OpenReadStream())
            await source.CopyToAsync(target, ct);
        return (null, relative, kind.ContentType);
    }

    public string FullPath(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (!full.StartsWith(Path.GetFullPath(Root), StringComparison.Ordinal)) throw new InvalidOperationException("đường dẫn tệp không hợp lệ");
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
