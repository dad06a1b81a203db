using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Web.Reports;

/// <summary>The report's figures and annex as .xlsx (numbers as numbers, rates as percentages) and .csv (UTF-8 with BOM).</summary>
public static class ReportExports
{
    private const uint StylePercent = 1, StyleBold = 2;

    /// <summary>Text a spreadsheet could read as a formula (= + - @) gets a leading apostrophe.</summary>
    public static string Safe(string s) => HocLamTheoBac.Web.Infrastructure.TabularFile.Neutralise(s);

    private static IEnumerable<object?[]> SummaryRows(ReportModel m)
    {
        foreach (var l in m.Lines) yield return [l.Label, l.Value, l.Rate];
        foreach (var i in m.Indicators) yield return [i.Name + (i.Unit is { } u ? $" ({u})" : ""), i.Value, null];
    }

    private static IEnumerable<object?[]> AnnexRows(ReportModel m)
    {
        var n = 0;
        foreach (var r in m.Annex)
            yield return [++n, r.Code, new string(' ', 2 * (r.Level - 1)) + r.Name, .. AnnexColumns.All.Select(c => Value(c, r.Figures))];
        yield return [null, "", "Tổng cộng", .. AnnexColumns.All.Select(c => Value(c, m.Totals))];
    }

    private static object Value(AnnexColumns.Column c, Figures f) => c.Count is { } count ? count(f) : c.Rate!(f);

    private static readonly string[] SummaryHeader = ["Chỉ tiêu", "Số lượng", "Tỷ lệ"];
    private static string[] AnnexHeader => ["TT", "Mã", "Đơn vị", .. AnnexColumns.All.Select(c => c.Header)];

    public static byte[] Xlsx(ReportModel m)
    {
        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var styles = wb.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "0.0%" }) { Count = 1 },
                new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Times New Roman" }),
                          new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Times New Roman" })) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellFormats(
                    new CellFormat(),
                    new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                    new CellFormat { FontId = 1, ApplyFont = true }) { Count = 3 });
            var sheets = wb.Workbook.AppendChild(new Sheets());
            var title = $"{m.IssuingBody} – Báo cáo {m.NumberLine} – năm {m.Year}";
            AddSheet(wb, sheets, 1, "Báo cáo", SummaryHeader, SummaryRows(m), title);
            AddSheet(wb, sheets, 2, "Phụ lục", AnnexHeader, AnnexRows(m), null);
            wb.Workbook.Save();
        }
        return ms.ToArray();
    }

    private static void AddSheet(WorkbookPart wb, Sheets sheets, uint id, string name, string[] header, IEnumerable<object?[]> rows, string? note)
    {
        var part = wb.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        var all = rows.ToList();
        var widths = header.Select(h => (double)h.Length).ToArray();
        uint r = 1;
        var hr = new Row { RowIndex = r };
        foreach (var h in header) hr.Append(Text(h, StyleBold));
        data.Append(hr);
        foreach (var values in all)
        {
            var row = new Row { RowIndex = ++r };
            for (var i = 0; i < values.Length; i++)
            {
                var (cell, len) = values[i] switch
                {
                    null => (Text("", 0), 0),
                    Rate rate when rate.Fraction is { } f => (new Cell { DataType = CellValues.Number, CellValue = new CellValue(f), StyleIndex = StylePercent }, 7),
                    Rate rate => (Text(rate.ToString(), 0), 1),
                    int n => (new Cell { DataType = CellValues.Number, CellValue = new CellValue(n) }, n.ToString(CultureInfo.InvariantCulture).Length + 2),
                    long n => (new Cell { DataType = CellValues.Number, CellValue = new CellValue(n.ToString(CultureInfo.InvariantCulture)) }, n.ToString(CultureInfo.InvariantCulture).Length + 2),
                    decimal d => (new Cell { DataType = CellValues.Number, CellValue = new CellValue(d) }, d.ToString(CultureInfo.InvariantCulture).Length + 2),
                    var o => (Text(o.ToString() ?? "", i == 0 && r == all.Count + 1 ? StyleBold : 0), (o.ToString() ?? "").Length),
                };
                row.Append(cell);
                widths[i] = Math.Max(widths[i], len);
            }
            data.Append(row);
        }
        if (note is not null)
        {
            data.Append(new Row(Text("", 0)) { RowIndex = ++r });
            data.Append(new Row(Text(note, 0)) { RowIndex = ++r });
        }
        var columns = new Columns(widths.Select((w, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = Math.Min(60, w + 2), CustomWidth = true }));
        var view = new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen }) { WorkbookViewId = 0 });
        part.Worksheet = new Worksheet(view, columns, data);
        sheets.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = id, Name = name });
    }

    private static Cell Text(string s, uint style) =>
        new() { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(Safe(s.Normalize(NormalizationForm.FormC)))), StyleIndex = style };

    /// <summary>RFC 4180: comma-separated, fields with a comma, quote or line break quoted; UTF-8 with BOM for Excel.</summary>
    public static byte[] Csv(ReportModel m)
    {
        var sb = new StringBuilder();
        void Write(IEnumerable<object?> fields)
        {
            sb.Append(string.Join(',', fields.Select(f => Quote(f switch
            {
                null => "",
                Rate rate => rate.ToString(),
                IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
                var o => Safe((o.ToString() ?? "").Normalize(NormalizationForm.FormC)),
            }))));
            sb.Append("\r\n");
        }
        Write([$"{m.IssuingBody} – Báo cáo {m.NumberLine} – năm {m.Year}"]);
        Write(SummaryHeader);
        foreach (var row in SummaryRows(m)) Write(row);
        sb.Append("\r\n");
        Write(AnnexHeader);
        foreach (var row in AnnexRows(m)) Write(row);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
