using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;

namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>
/// The annex on landscape pages (the body stays portrait): for a period review first the root's
/// figures year by year with the period's totals, then one row per unit of the subtree (indented by
/// level), under a committee its own records' row ("– riêng cấp ủy", as the xlsx and csv) and a total row. Columns are measured from their widest value (<see cref="MeasuredTable"/>).
/// </summary>
public static class AnnexTable
{
    public static void Draw(Canvas c, ReportModel m)
    {
        c.NewPage(landscape: true);
        if (m.IsPeriod)
        {
            Caption(c, m, "PHỤ LỤC 1", $"Kết quả từng năm, giai đoạn {m.PeriodLabel}");
            DrawYears(c, m);
            c.NewPage();
            Caption(c, m, "PHỤ LỤC 2", $"Kết quả giai đoạn {m.PeriodLabel} theo đơn vị trực thuộc (cộng các năm; số liệu đến ngày {Vn.Date(m.AsOf)})");
        }
        else
        {
            Caption(c, m, "PHỤ LỤC", $"Kết quả năm {m.Year} theo đơn vị trực thuộc (số liệu đến ngày {Vn.Date(m.AsOf)})");
        }
        DrawUnits(c, m);
    }

    private static void Caption(Canvas c, ReportModel m, string title, string subtitle)
    {
        c.Line(title, Typography.Heading, Align.Center, c.Left, c.Width);
        c.Y += Canvas.LineHeight(Typography.Heading);
        c.Paragraph(subtitle, Typography.BodyItalic, Align.Center, 0);
        c.Paragraph(m.AnnexCaption, Typography.BodyItalic, Align.Center, 0);
        c.Y += 2;
    }

    public static string Cell(AnnexColumns.Column col, Figures f) =>
        col.Count is { } count ? Vn.Number(count(f)) : col.Rate!(f).ToString();

    private static void DrawUnits(Canvas c, ReportModel m)
    {
        var cols = AnnexColumns.All;
        var headers = new List<string> { "TT", "Đơn vị" };
        headers.AddRange(cols.Select(col => col.Header));
        var annex = ReportExports.AnnexRows(m);
        var rows = new List<TableRow>(annex.Count + 1);
        var n = 0;
        foreach (var r in annex)
        {
            var cells = new List<string>(headers.Count) { r.Own ? "" : (++n).ToString(ServiceSetup.Vietnamese), r.Name };
            cells.AddRange(cols.Select(col => Cell(col, r.Figures)));
            rows.Add(new TableRow(cells, Indent: Math.Min(r.Level - 1, 4) * 6));
        }
        var total = new List<string> { "", "Tổng cộng" };
        total.AddRange(cols.Select(col => Cell(col, m.Totals)));
        rows.Add(new TableRow(total, Total: true));
        MeasuredTable.Draw(c, headers, rows, textColumn: 1, minTextWidth: Typography.Mm(45));
    }

    private static void DrawYears(Canvas c, ReportModel m)
    {
        var headers = new List<string> { "TT", "Chỉ tiêu" };
        headers.AddRange(m.PerYear.Select(y => $"Năm {y.Year}"));
        headers.Add($"Cả giai đoạn {m.PeriodLabel}");
        // A year with nothing recorded shows "—" in every cell and is not in the period's column (ADR 0012).
        var perYear = m.PerYear.Select(y => y.Figures.HasRecords ? FigureLine.For(y.Figures) : null).ToList();
        var period = m.Lines;
        var rows = new List<TableRow>();
        for (var i = 0; i < period.Count; i++)
        {
            // The quota in a label belongs to one year: the yearly table names the figure only.
            var label = System.Text.RegularExpressions.Regex.Replace(FigureLine.For(m.Totals)[i].Label, @" \(chỉ tiêu [^)]*\)$", "");
            var cells = new List<string> { (i + 1).ToString(ServiceSetup.Vietnamese), label };
            cells.AddRange(perYear.Select(y => y is null ? Rate.None : Value(y[i])));
            cells.Add(Value(period[i]));
            rows.Add(new TableRow(cells));
        }
        MeasuredTable.Draw(c, headers, rows, textColumn: 1, minTextWidth: Typography.Mm(60));
        if (ReportText.YearsLeftOut(m) is { } leftOut)
        {
            c.Y += 3;
            c.Paragraph(leftOut, Typography.BodyItalic);
        }
    }

    /// <summary>"1.001.762 (97,8 %)" for a figure with a rate; the count alone otherwise.</summary>
    public static string Value(FigureLine l) => l.Rate is { Percent: not null } r ? $"{Vn.Number(l.Value)} ({r})" : Vn.Number(l.Value);
}
