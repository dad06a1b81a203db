using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace HocLamTheoBac.Web.Reports.Pdf;

public enum Align { Left, Center, Right, Justify }

/// <summary>
/// A flowing page cursor over PDFsharp: wraps and justifies text, starts new pages when the
/// bottom margin is reached, and normalises every string to NFC before it is drawn.
/// </summary>
public sealed class Canvas(PdfDocument doc) : IDisposable
{
    public PdfDocument Document { get; } = doc;
    public XGraphics G { get; private set; } = null!;
    public double Y { get; set; }
    /// <summary>The current page is landscape (the annex); the body stays portrait.</summary>
    public bool Landscape { get; private set; }
    public double Left => Landscape ? Typography.LandscapeLeft : Typography.Left;
    public double Width => Landscape ? Typography.LandscapeContentWidth : Typography.ContentWidth;
    public double BottomLimit => Landscape ? Typography.PageSize.Width - Typography.LandscapeBottom : Typography.PageSize.Height - Typography.Bottom;
    /// <summary>Called after every page break (e.g. to repeat a table header).</summary>
    public Action? OnNewPage { get; set; }

    public static string Nfc(string s) => s.Normalize(NormalizationForm.FormC);

    /// <summary>A new page; <paramref name="landscape"/> switches the orientation from this page on (null keeps it).</summary>
    public void NewPage(bool? landscape = null)
    {
        G?.Dispose();
        Landscape = landscape ?? Landscape;
        var page = Document.AddPage();
        page.Width = XUnit.FromPoint(Landscape ? Typography.PageSize.Height : Typography.PageSize.Width);
        page.Height = XUnit.FromPoint(Landscape ? Typography.PageSize.Width : Typography.PageSize.Height);
        G = XGraphics.FromPdfPage(page);
        Y = (Landscape ? Typography.LandscapeTop : Typography.Top) + (Document.PageCount > 1 ? Typography.Mm(8) : 0);
        OnNewPage?.Invoke();
    }

    public void Ensure(double height)
    {
        if (Y + height > BottomLimit) NewPage();
    }

    public static double LineHeight(XFont f) => f.Size * Typography.BodyLeading;

    public double Measure(string text, XFont font) => G.MeasureString(Nfc(text), font).Width;

    /// <summary>Draws one line at the cursor's height, in a box from x of the given width.</summary>
    public void Line(string text, XFont font, Align align, double x, double width, double? y = null)
    {
        text = Nfc(text);
        var w = G.MeasureString(text, font).Width;
        var left = align switch { Align.Center => x + (width - w) / 2, Align.Right => x + width - w, _ => x };
        G.DrawString(text, font, XBrushes.Black, left, (y ?? Y) + font.Size, XStringFormats.BaseLineLeft);
    }

    /// <summary>Splits text into lines that fit the width (the first line may be narrower by an indent).</summary>
    public List<string> Wrap(string text, XFont font, double width, double firstIndent = 0)
    {
        var lines = new List<string>();
        foreach (var para in Nfc(text).Replace("\r", "").Split('\n'))
        {
            var words = para.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var current = new StringBuilder();
            foreach (var word in words)
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                var limit = lines.Count == 0 ? width - firstIndent : width;
                if (current.Length > 0 && G.MeasureString(candidate, font).Width > limit)
                {
                    lines.Add(current.ToString());
                    current.Clear().Append(word);
                }
                else
                {
                    current.Clear().Append(candidate);
                }
            }
            lines.Add(current.ToString());
        }
        return lines;
    }

    /// <summary>Like <see cref="Wrap"/>, but a single word wider than the box is cut between letters so it stays inside.</summary>
    public List<string> WrapInside(string text, XFont font, double width)
    {
        var result = new List<string>();
        foreach (var line in Wrap(text, font, width))
        {
            var rest = line;
            while (rest.Length > 1 && G.MeasureString(rest, font).Width > width)
            {
                var cut = rest.Length - 1;
                while (cut > 1 && G.MeasureString(rest[..cut], font).Width > width) cut--;
                result.Add(rest[..cut]);
                rest = rest[cut..];
            }
            result.Add(rest);
        }
        return result;
    }

    /// <summary>The height <see cref="Paragraph"/> would take for this text at the full width.</summary>
    public double ParagraphHeight(string? text, XFont font, double indent = -1)
    {
        if (string.IsNullOrWhiteSpace(text)) return 0;
        var first = indent < 0 ? Typography.FirstLineIndent : indent;
        return Nfc(text).Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Sum(b => Wrap(b.Trim(), font, Width, first).Count * LineHeight(font) + Typography.ParagraphSpacing);
    }

    /// <summary>A flowing paragraph at the cursor, breaking pages as needed.</summary>
    /// <remarks><paramref name="keepWithNext"/>: height of what must follow on the same page as the last two lines (the signature after section IV).</remarks>
    public void Paragraph(string text, XFont font, Align align = Align.Justify, double indent = -1, double x = double.NaN, double width = double.NaN, double keepWithNext = 0)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        x = double.IsNaN(x) ? Left : x;
        width = double.IsNaN(width) ? Width : width;
        var first = indent < 0 ? Typography.FirstLineIndent : indent;
        var blocks = Nfc(text).Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var b = 0; b < blocks.Length; b++)
        {
            var block = blocks[b];
            var lines = Wrap(block.Trim(), font, width, first);
            for (var i = 0; i < lines.Count; i++)
            {
                var last = b == blocks.Length - 1;
                if (last && keepWithNext > 0 && i == Math.Max(0, lines.Count - 2))
                    Ensure((lines.Count - i) * LineHeight(font) + Typography.ParagraphSpacing + keepWithNext);
                Ensure(LineHeight(font));
                var lx = x + (i == 0 ? first : 0);
                var lw = width - (i == 0 ? first : 0);
                if (align == Align.Justify && i < lines.Count - 1) Justified(lines[i], font, lx, lw);
                else Line(lines[i], font, align == Align.Justify ? Align.Left : align, lx, lw);
                Y += LineHeight(font);
            }
            Y += Typography.ParagraphSpacing;
        }
    }

    private void Justified(string line, XFont font, double x, double width)
    {
        var words = line.Split(' ');
        if (words.Length < 2) { Line(line, font, Align.Left, x, width); return; }
        var total = words.Sum(w => G.MeasureString(w, font).Width);
        var gap = (width - total) / (words.Length - 1);
        var cx = x;
        foreach (var w in words)
        {
            G.DrawString(w, font, XBrushes.Black, cx, Y + font.Size, XStringFormats.BaseLineLeft);
            cx += G.MeasureString(w, font).Width + gap;
        }
    }

    public void Rule(double x1, double x2, double y, double thickness = 0.6) =>
        G.DrawLine(new XPen(XColors.Black, thickness), x1, y, x2, y);

    public void Dispose() => G?.Dispose();
}
