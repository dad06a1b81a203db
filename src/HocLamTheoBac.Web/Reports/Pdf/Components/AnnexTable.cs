using HocLamTheoBac.Web.Infrastructure;
using PdfSharp.Drawing;

namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>
/// The annex: one row per unit of the subtree (indented by level) and a total row. The table
/// breaks across pages and repeats its header row on each page.
/// </summary>
public static class AnnexTable
{
    private const double Pad = 2.5;

    public static void Draw(Canvas c, ReportModel m)
    {
        c.NewPage();
        c.Line("PHỤ LỤC", Typography.Heading, Align.Center, c.Left, c.Width);
        c.Y += Canvas.LineHeight(Typography.Heading);
        c.Paragraph($"Kết quả năm {m.Year} theo đơn vị trực thuộc (số liệu đến ngày {Vn.D(m.AsOf)})", Typography.BodyItalic, Align.Center, 0);
        c.Paragraph($"(Kèm theo Báo cáo {m.NumberLine})", Typography.BodyItalic, Align.Center, 0);

        var cols = AnnexColumns.All;
        var numberW = Typography.Mm(8);
        var nameW = Typography.Mm(43);
        // Rates ("100,0 %") need more room than counts.
        var weights = cols.Select(col => col.Rate is null ? 1.0 : 1.45).ToList();
        var unit = (c.Width - numberW - nameW) / weights.Sum();
        var widths = new List<double> { numberW, nameW };
        widths.AddRange(weights.Select(w => w * unit));
        var headers = new List<string> { "TT", "Đơn vị" };
        headers.AddRange(cols.Select(col => col.Header));

        void HeaderRow() => Row(c, headers, widths, Typography.TableHeader, header: true, indent: 0, shade: true);
        HeaderRow();
        c.OnNewPage = HeaderRow;
        var n = 0;
        foreach (var r in m.Annex)
        {
            var cells = new List<string> { (++n).ToString(ServiceSetup.Vietnamese), r.Name };
            cells.AddRange(cols.Select(col => Cell(col, r.Figures)));
            Row(c, cells, widths, Typography.TableCell, header: false, indent: (r.Level - 1) * 6, shade: false);
        }
        var total = new List<string> { "", "Tổng cộng" };
        total.AddRange(cols.Select(col => Cell(col, m.Totals)));
        Row(c, total, widths, Typography.TableTotal, header: false, indent: 0, shade: true);
        c.OnNewPage = null;
    }

    public static string Cell(AnnexColumns.Column col, Figures f) =>
        col.Count is { } count ? Vn.N(count(f)) : col.Rate!(f).ToString();

    private static void Row(Canvas c, List<string> cells, List<double> widths, XFont font, bool header, double indent, bool shade)
    {
        var lh = font.Size * 1.15;
        var wrapped = cells.Select((t, i) => c.Wrap(t, font, widths[i] - 2 * Pad - (i == 1 ? indent : 0))).ToList();
        var height = wrapped.Max(l => l.Count) * lh + 2 * Pad;
        if (c.Y + height > c.BottomLimit) c.NewPage(); // the new page repeats the header via OnNewPage
        var x = c.Left;
        var pen = new XPen(XColors.Black, 0.5);
        for (var i = 0; i < cells.Count; i++)
        {
            if (shade) c.G.DrawRectangle(new XSolidBrush(XColor.FromArgb(235, 235, 235)), x, c.Y, widths[i], height);
            c.G.DrawRectangle(pen, x, c.Y, widths[i], height);
            var ly = c.Y + Pad;
            var align = header || i == 0 ? Align.Center : i == 1 ? Align.Left : Align.Right;
            foreach (var line in wrapped[i])
            {
                var ix = i == 1 && !header ? indent : 0;
                c.Line(line, font, align, x + Pad + ix, widths[i] - 2 * Pad - ix, ly - font.Size * 0.1);
                ly += lh;
            }
            x += widths[i];
        }
        c.Y += height;
    }
}
