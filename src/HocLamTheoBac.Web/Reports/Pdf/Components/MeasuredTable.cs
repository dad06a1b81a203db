using PdfSharp.Drawing;

namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>One row of a <see cref="MeasuredTable"/>: its cells, bold and shaded for a total, an indent for the text column.</summary>
public sealed record TableRow(IReadOnlyList<string> Cells, bool Total = false, double Indent = 0);

/// <summary>
/// A table whose columns are as wide as their widest value (numbers never touch, whatever their
/// size), whose headers wrap to at most three lines, and whose one text column takes the rest of
/// the width and wraps long names inside its cell. When the columns do not fit, the font gets
/// smaller (down to 7 pt) before anything is squeezed. Breaks across pages, repeating its header.
/// </summary>
public static class MeasuredTable
{
    private const double Pad = 2.5;
    private const int MaxHeaderLines = 3;
    private static readonly double[] Sizes = [9.5, 9, 8.5, 8, 7.5, 7];
    private static readonly double MaxTextWidth = Typography.Mm(80);

    public static void Draw(Canvas c, IReadOnlyList<string> headers, IReadOnlyList<TableRow> rows, int textColumn, double minTextWidth)
    {
        var (size, widths) = Layout(c, headers, rows, textColumn, minTextWidth);
        var regular = Typography.Regular(size);
        var bold = Typography.Bold(size);
        // One pen and one fill for the whole table; the rules are drawn once per page (Grid), not as a rectangle per cell.
        var ink = new Ink(new XPen(XColors.Black, 0.5), new XSolidBrush(XColor.FromArgb(235, 235, 235)));
        var grid = new Grid(c, widths, ink.Pen);
        void HeaderRow() => Row(c, headers, widths, bold, header: true, shade: true, indent: 0, textColumn, ink, grid);
        HeaderRow();
        var previous = c.OnNewPage;
        c.OnNewPage = HeaderRow;
        foreach (var r in rows)
            Row(c, r.Cells, widths, r.Total ? bold : regular, header: false, shade: r.Total, indent: r.Indent, textColumn, ink, grid);
        grid.Flush();
        c.OnNewPage = previous;
    }

    /// <summary>
    /// The rules of a table: a line under every row once its texts are drawn, then, when the page is left, the outline of
    /// the page's rows as one rectangle and a line between columns. The same strokes as a rectangle per cell (every cell's
    /// edges, the corners inside the outline), in about 50 operators a page instead of one rectangle per cell (about 500:
    /// the province's annex wrote 60.000 rectangles, each formatted by PDFsharp). The line under a row also ends PDFsharp's
    /// text object there, so each row's texts start from an absolute position as before (no drift of relative moves).
    /// </summary>
    private sealed class Grid(Canvas c, double[] widths, XPen pen)
    {
        private readonly double _right = Right(c.Left, widths);
        private double? _top;
        private double _bottom;

        private static double Right(double left, double[] widths)
        {
            foreach (var w in widths) left += w; // as the cells' x advance
            return left;
        }

        /// <summary>A row from <paramref name="top"/> to <paramref name="bottom"/> on the current page, its texts drawn.</summary>
        public void Add(double top, double bottom)
        {
            _top ??= top;
            _bottom = bottom;
            Rule(bottom);
        }

        /// <summary>A rule across the table at <paramref name="y"/>.</summary>
        public void Rule(double y) => c.G.DrawLine(pen, c.Left, y, _right, y);

        /// <summary>Draws the outline and the column rules of the rows added since the last flush, on the current page.</summary>
        public void Flush()
        {
            if (_top is not double top) return;
            var left = c.Left;
            c.G.DrawRectangle(pen, left, top, _right - left, _bottom - top);
            var x = left;
            for (var i = 0; i < widths.Length - 1; i++)
            {
                x += widths[i];
                c.G.DrawLine(pen, x, top, x, _bottom);
            }
            _top = null;
        }
    }

    /// <summary>The font size and column widths: every fixed column fits its widest value and a header of three lines.</summary>
    public static (double Size, double[] Widths) Layout(Canvas c, IReadOnlyList<string> headers, IReadOnlyList<TableRow> rows, int textColumn, double minTextWidth)
    {
        double[] widths = [];
        foreach (var size in Sizes)
        {
            var regular = Typography.Regular(size);
            var bold = Typography.Bold(size);
            widths = new double[headers.Count];
            for (var i = 0; i < headers.Count; i++)
            {
                if (i == textColumn) continue;
                var widest = 0.0;
                // Digits have one width in the font: measure each distinct length once (all 14.000 rows of a province stay fast).
                foreach (var cell in rows.Select(r => (r.Cells[i], r.Total)).DistinctBy(x => (x.Item1.Length, x.Total, Numeric(x.Item1) ? "" : x.Item1)))
                    widest = Math.Max(widest, c.Measure(cell.Item1, cell.Total ? bold : regular));
                var w = Math.Max(widest, LongestWord(c, headers[i], bold)) + 2 * Pad + 1;
                while (c.Wrap(headers[i], bold, w - 2 * Pad).Count > MaxHeaderLines) w += 2;
                widths[i] = w;
            }
            var rest = c.Width - widths.Sum();
            var textMin = Math.Max(minTextWidth, LongestWord(c, headers[textColumn], bold) + 2 * Pad);
            if (rest >= textMin || size == Sizes[^1])
            {
                // Room to spare beyond a comfortable text column goes to the figures, so they breathe.
                var text = Math.Max(textMin, Math.Min(rest, Math.Max(MaxTextWidth, minTextWidth)));
                var spare = rest - text;
                var spread = Enumerable.Range(0, widths.Length).Where(i => i != textColumn && i != 0).ToList();
                if (spare > 0 && spread.Count > 0) foreach (var i in spread) widths[i] += spare / spread.Count;
                else text = Math.Max(rest, textMin);
                widths[textColumn] = text;
                return (size, widths);
            }
        }
        return (Sizes[^1], widths);
    }

    private static bool Numeric(string s) => s.All(ch => char.IsDigit(ch) || ch is '.' or ',' or ' ' or '%' or '\u00A0');

    private static double LongestWord(Canvas c, string text, XFont font) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => c.Measure(w, font)).DefaultIfEmpty(0).Max();

    private sealed record Ink(XPen Pen, XBrush Fill);

    private static void Row(Canvas c, IReadOnlyList<string> cells, double[] widths, XFont font, bool header, bool shade, double indent, int textColumn, Ink ink, Grid grid)
    {
        var lh = font.Size * 1.15;
        var wrapped = new List<string>[cells.Count];
        var lines = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            wrapped[i] = c.WrapInside(cells[i], font, widths[i] - 2 * Pad - (i == textColumn && !header ? indent : 0));
            lines = Math.Max(lines, wrapped[i].Count);
        }
        var height = lines * lh + 2 * Pad;
        if (c.Y + height > c.BottomLimit)
        {
            grid.Flush(); // the rules of this page's rows, before leaving it
            c.NewPage(); // the new page repeats the header via OnNewPage
        }
        var x = c.Left;
        if (shade)
        {
            var width = 0.0;
            foreach (var w in widths) width += w;
            c.G.DrawRectangle(ink.Fill, x, c.Y, width, height);
            grid.Rule(c.Y); // the line under the row above, which the fill just covered
        }
        for (var i = 0; i < cells.Count; i++)
        {
            var align = header ? Align.Center : i == textColumn ? Align.Left : i == 0 ? Align.Center : Align.Right;
            // Headers sit in the middle of their cell; values at the top.
            var ly = c.Y + Pad + (header ? (height - 2 * Pad - wrapped[i].Count * lh) / 2 : 0);
            var ix = i == textColumn && !header ? indent : 0;
            foreach (var line in wrapped[i])
            {
                c.Line(line, font, align, x + Pad + ix, widths[i] - 2 * Pad - ix, ly - font.Size * 0.1);
                ly += lh;
            }
            x += widths[i];
        }
        grid.Add(c.Y, c.Y + height);
        c.Y += height;
    }
}
