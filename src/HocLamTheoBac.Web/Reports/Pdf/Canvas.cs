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

    /// <summary>
    /// The text in NFC. Most strings drawn already are (digits, Vietnamese in precomposed letters): a string made only
    /// of characters below U+0300 (no combining mark among them) or of the precomposed Latin letters U+1E00–U+1EFF
    /// ("ệ", "ộ") is NFC as it is, and is returned without asking ICU (a 4.565-unit annex asked it 70.000 times).
    /// Other text also loses what the page cannot show as typed (the walk of session 19): format characters — direction
    /// overrides and isolates (U+202A–U+202E, U+2066–U+2069), which PDFsharp drew as glyphs without reordering anything,
    /// zero-width characters — and characters beyond the Basic Multilingual Plane (emoji), for which the report's font has
    /// no glyph and which printed as blank space.
    /// </summary>
    public static string Nfc(string s) => IsPrecomposed(s) ? s : Printable(s.Normalize(NormalizationForm.FormC));

    private static string Printable(string nfc)
    {
        var keep = true;
        foreach (var ch in nfc)
            if (char.IsSurrogate(ch) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(ch) == System.Globalization.UnicodeCategory.Format) { keep = false; break; }
        if (keep) return nfc;
        var sb = new StringBuilder(nfc.Length);
        for (var i = 0; i < nfc.Length; i++)
        {
            var ch = nfc[i];
            if (char.IsSurrogate(ch) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(ch) == System.Globalization.UnicodeCategory.Format) continue;
            // A variation selector (U+FE0F after an emoji's base) is a mark of the emoji just dropped.
            if (ch is >= '\uFE00' and <= '\uFE0F') continue;
            sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>True when every character is below U+0300 or in U+1E00–U+1EFF (then the string is already NFC).</summary>
    public static bool IsPrecomposed(ReadOnlySpan<char> s)
    {
        foreach (var ch in s)
            if (ch >= '\u0300' && (ch < '\u1E00' || ch > '\u1EFF')) return false;
        return true;
    }

    // Widths measured in this document, by font and text: a province's annex measures the same numbers again and again.
    private readonly Dictionary<(XFont Font, string Text), double> _widths = [];

    /// <summary>The width of an NFC text in the font (<see cref="XGraphics.MeasureString(string, XFont)"/>, remembered).</summary>
    private double TextWidth(string nfc, XFont font)
    {
        if (_widths.TryGetValue((font, nfc), out var w)) return w;
        w = G.MeasureString(nfc, font).Width;
        _widths[(font, nfc)] = w;
        return w;
    }

    /// <summary>Indexes of the pages that begin a sheet of its own (numbered again from 1: <see cref="NewSheet"/>); page 0 always does.</summary>
    public List<int> SheetStarts { get; } = [0];

    /// <summary>A new page that begins a sheet of its own within the document (e.g. one member's review sheet): its pages are numbered from 1.</summary>
    public void NewSheet()
    {
        SheetStarts.Add(Document.PageCount);
        NewPage();
    }

    /// <summary>A new page; <paramref name="landscape"/> switches the orientation from this page on (null keeps it).</summary>
    public void NewPage(bool? landscape = null)
    {
        G?.Dispose();
        Landscape = landscape ?? Landscape;
        var page = Document.AddPage();
        page.Width = XUnit.FromPoint(Landscape ? Typography.PageSize.Height : Typography.PageSize.Width);
        page.Height = XUnit.FromPoint(Landscape ? Typography.PageSize.Width : Typography.PageSize.Height);
        G = XGraphics.FromPdfPage(page);
        Y = (Landscape ? Typography.LandscapeTop : Typography.Top) + (SheetStarts.Contains(Document.PageCount - 1) ? 0 : Typography.Mm(8));
        OnNewPage?.Invoke();
    }

    public void Ensure(double height)
    {
        if (Y + height > BottomLimit) NewPage();
    }

    public static double LineHeight(XFont f) => f.Size * Typography.BodyLeading;

    public double Measure(string text, XFont font) => TextWidth(Nfc(text), font);

    /// <summary>Draws one line at the cursor's height, in a box from x of the given width.</summary>
    public void Line(string text, XFont font, Align align, double x, double width, double? y = null)
    {
        text = Nfc(text);
        var w = TextWidth(text, font);
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
            var current = "";
            foreach (var word in words)
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                var limit = lines.Count == 0 ? width - firstIndent : width;
                if (current.Length > 0 && TextWidth(candidate, font) > limit)
                {
                    lines.Add(current);
                    current = word;
                }
                else
                {
                    current = candidate;
                }
            }
            lines.Add(current);
        }
        return lines;
    }

    /// <summary>Like <see cref="Wrap"/>, but a single word wider than the box is cut between letters so it stays inside.</summary>
    public List<string> WrapInside(string text, XFont font, double width)
    {
        // A text on one line that fits (a number, most names): the one line Wrap would give, without splitting it into
        // words. Exact: widths only grow with the text, so every shorter candidate of Wrap fits too; single spaces
        // only, none at either end, so the words joined again are the text itself.
        if (text.AsSpan().IndexOfAny('\n', '\r') < 0 && !text.Contains("  ", StringComparison.Ordinal)
            && (text.Length == 0 || (text[0] != ' ' && text[^1] != ' ')))
        {
            var nfc = Nfc(text);
            if (nfc.Length <= 1 || TextWidth(nfc, font) <= width) return [nfc];
        }
        var result = new List<string>();
        foreach (var line in Wrap(text, font, width))
        {
            var rest = line;
            while (rest.Length > 1 && TextWidth(rest, font) > width)
            {
                var cut = rest.Length - 1;
                while (cut > 1 && TextWidth(rest[..cut], font) > width) cut--;
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
        var total = words.Sum(w => TextWidth(w, font));
        var gap = (width - total) / (words.Length - 1);
        var cx = x;
        foreach (var w in words)
        {
            G.DrawString(w, font, XBrushes.Black, cx, Y + font.Size, XStringFormats.BaseLineLeft);
            cx += TextWidth(w, font) + gap;
        }
    }

    public void Rule(double x1, double x2, double y, double thickness = 0.6) =>
        G.DrawLine(new XPen(XColors.Black, thickness), x1, y, x2, y);

    public void Dispose() => G?.Dispose();
}
