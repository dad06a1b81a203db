using System.Diagnostics;

namespace HocLamTheoBac.Tests.Reports.Paper;

/// <summary>Renders each page of a PDF with pdftoppm and decodes its QR codes with zbarimg (Debian zbar-tools).</summary>
public static class QrDecode
{
    public static async Task<List<List<string>>> PerPageAsync(byte[] pdf)
    {
        var dir = Path.Combine(Path.GetTempPath(), "hlb-qr-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "sheet.pdf");
            await File.WriteAllBytesAsync(file, pdf);
            await RunAsync("pdftoppm", ["-r", "150", "-png", file, Path.Combine(dir, "page")], acceptExit: [0]);
            var pages = new List<List<string>>();
            foreach (var png in Directory.GetFiles(dir, "page-*.png").OrderBy(f => f, StringComparer.Ordinal))
            {
                // zbarimg exits 4 when a page has no code at all.
                var output = await RunAsync("zbarimg", ["--raw", "-q", png], acceptExit: [0, 4]);
                pages.Add(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList());
            }
            return pages;
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static async Task<string> RunAsync(string exe, IEnumerable<string> args, int[] acceptExit)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (!acceptExit.Contains(p.ExitCode)) throw new InvalidOperationException($"{exe} failed ({p.ExitCode}): {await error}");
        return await output;
    }
}
