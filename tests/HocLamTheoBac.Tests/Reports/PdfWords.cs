using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>The words of a PDF with their boxes (pdftotext -bbox-layout), page by page.</summary>
public sealed record PdfWord(int Page, double XMin, double YMin, double XMax, double YMax, string Text);

public sealed record PdfPageWords(int Number, double Width, double Height, IReadOnlyList<PdfWord> Words)
{
    public bool Landscape => Width > Height;

    /// <summary>Words grouped into visual lines (same top within a point), each sorted left to right.</summary>
    public IReadOnlyList<IReadOnlyList<PdfWord>> Lines()
    {
        var lines = new List<List<PdfWord>>();
        foreach (var w in Words.OrderBy(w => w.YMin).ThenBy(w => w.XMin))
        {
            if (lines.Count > 0 && Math.Abs(lines[^1][0].YMin - w.YMin) < 1) lines[^1].Add(w);
            else lines.Add([w]);
        }
        return lines.Select(l => (IReadOnlyList<PdfWord>)l.OrderBy(w => w.XMin).ToList()).ToList();
    }
}

public static class PdfWords
{
    public static async Task<IReadOnlyList<PdfPageWords>> ReadAsync(byte[] pdf)
    {
        var dir = Path.Combine(Path.GetTempPath(), "hlb-bbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "r.pdf");
            var html = Path.Combine(dir, "r.html");
            await File.WriteAllBytesAsync(file, pdf);
            var psi = new ProcessStartInfo("pdftotext") { UseShellExecute = false, RedirectStandardError = true };
            foreach (var a in new[] { "-bbox-layout", "-enc", "UTF-8", file, html }) psi.ArgumentList.Add(a);
            using (var p = Process.Start(psi)!)
            {
                var err = p.StandardError.ReadToEndAsync();
                await p.WaitForExitAsync();
                if (p.ExitCode != 0) throw new InvalidOperationException("pdftotext -bbox-layout failed: " + await err);
            }
            var doc = XDocument.Load(html);
            var pages = new List<PdfPageWords>();
            var n = 0;
            foreach (var page in doc.Descendants().Where(e => e.Name.LocalName == "page"))
            {
                n++;
                var words = page.Descendants().Where(e => e.Name.LocalName == "word")
                    .Select(w => new PdfWord(n, D(w, "xMin"), D(w, "yMin"), D(w, "xMax"), D(w, "yMax"), w.Value.Replace('\u00A0', ' ')))
                    .ToList();
                pages.Add(new PdfPageWords(n, D(page, "width"), D(page, "height"), words));
            }
            return pages;
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static double D(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    /// <summary>Every pair of words on the same page whose boxes overlap by more than <paramref name="tolerance"/> points both ways.</summary>
    public static List<(PdfWord A, PdfWord B)> Overlaps(IEnumerable<PdfPageWords> pages, double tolerance = 0.3)
    {
        var found = new List<(PdfWord, PdfWord)>();
        foreach (var page in pages)
        {
            var words = page.Words.OrderBy(w => w.XMin).ToList();
            for (var i = 0; i < words.Count; i++)
                for (var j = i + 1; j < words.Count && words[j].XMin < words[i].XMax - tolerance; j++)
                {
                    var a = words[i]; var b = words[j];
                    var dx = Math.Min(a.XMax, b.XMax) - Math.Max(a.XMin, b.XMin);
                    var dy = Math.Min(a.YMax, b.YMax) - Math.Max(a.YMin, b.YMin);
                    if (dx > tolerance && dy > tolerance) found.Add((a, b));
                }
        }
        return found;
    }

    /// <summary>
    /// The annex rows as printed: for each visual line that starts with a row number (or "Tổng cộng"),
    /// the key and the last <paramref name="valueColumns"/> cells ("97,8 %" is one cell).
    /// </summary>
    public static List<(string Key, string[] Values)> AnnexRows(IEnumerable<PdfPageWords> pages, int valueColumns)
    {
        var rows = new List<(string, string[])>();
        foreach (var page in pages.Where(p => p.Landscape))
            foreach (var line in page.Lines())
            {
                var tokens = new List<string>();
                foreach (var w in line)
                {
                    if (w.Text == "%" && tokens.Count > 0) tokens[^1] += " %";
                    else tokens.Add(w.Text);
                }
                var key = tokens[0] == "Tổng" && tokens.Count > 1 && tokens[1] == "cộng" ? "Tổng cộng"
                    : int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? tokens[0] : null;
                if (key is null || tokens.Count < valueColumns + 1) continue;
                rows.Add((key, tokens.TakeLast(valueColumns).ToArray()));
            }
        return rows;
    }
}
