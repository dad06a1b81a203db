using System.Diagnostics;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>poppler-utils from the test: pdftotext to read a PDF back, pdftoppm to render pages for a person to look at.</summary>
public static class PdfText
{
    public static async Task<string> ExtractAsync(byte[] pdf, int? firstPage = null, int? lastPage = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"hlb-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            var args = new List<string> { "-layout", "-enc", "UTF-8" };
            if (firstPage is int f) args.AddRange(["-f", f.ToString()]);
            if (lastPage is int l) args.AddRange(["-l", l.ToString()]);
            args.AddRange([file, "-"]);
            var text = await RunAsync("pdftotext", args);
            return text.Replace('\u00A0', ' ');
        }
        finally { File.Delete(file); }
    }

    public static async Task<int> PageCountAsync(byte[] pdf) => (await ExtractAsync(pdf)).Split('\f', StringSplitOptions.RemoveEmptyEntries).Count(p => p.Trim().Length > 0);

    public static async Task<string> RenderPngAsync(byte[] pdf, int page, string name, int dpi = 60, string folder = "reports")
    {
        var dir = Path.Combine(HocLamTheoBac.Tests.Infrastructure.Artifacts.Directory, folder);
        Directory.CreateDirectory(dir);
        var pdfFile = Path.Combine(dir, name + ".pdf");
        await File.WriteAllBytesAsync(pdfFile, pdf);
        var prefix = Path.Combine(dir, name);
        await RunAsync("pdftoppm", ["-png", "-r", dpi.ToString(), "-f", page.ToString(), "-l", page.ToString(), "-singlefile", pdfFile, prefix]);
        return prefix + ".png";
    }

    private static async Task<string> RunAsync(string exe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = System.Text.Encoding.UTF8 };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed: {await error}");
        return await output;
    }
}
