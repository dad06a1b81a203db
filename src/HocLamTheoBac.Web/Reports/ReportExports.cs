using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;

namespace HocLamTheoBac.Web.Reports;

/// <summary>
/// The report's figures and annex as .xlsx for printing (title rows, frozen and repeated header,
/// numbers as numbers in the PDF's digits, A4 landscape fitted to the width) and as one
/// machine-readable .csv table (header row, one record per line, UTF-8 with BOM).
/// </summary>
public static class ReportExports
{
    private const uint StyleCount = 1, StylePercent = 2, StyleBold = 3, StyleHeader = 4, StyleTitle = 5, StyleBoldCount = 6, StyleBoldPercent = 7;

    /// <summary>The number format of counts: 1.024.574 whatever the reader's locale.</summary>
    public const string CountFormat = @"[>=1000000]0\.000\.000;[>=1000]0\.000;0";

    /// <summary>Text a spreadsheet could read as a formula (= + - @) gets a leading apostrophe.</summary>
    public static string Safe(string s) => HocLamTheoBac.Web.Infrastructure.TabularFile.Neutralise(s);

    /// <summary>A cell's value and whether it belongs to a total row (bold).</summary>
    private sealed record Sheet(string Name, IReadOnlyList<string> Header, IReadOnlyList<object?[]> Rows, ISet<int> TotalRows);

    /// <summary>"Báo cáo Số 12-BC/TU ngày 20/12/2025 – kết quả giai đoạn 2021–2025": which report a file belongs to.</summary>
    public static string Title(ReportModel m) =>
        $"{(m.IsDraft ? "Dự thảo báo cáo" : "Báo cáo")} {m.NumberLine}{(m.Date == default ? "" : " ngày " + Vn.Date(m.Date))} – kết quả {(m.IsPeriod ? "sơ kết, tổng kết " : "")}{m.PeriodWords}";

    private static string[] TitleRows(ReportModel m, string what) =>
    [
        m.IssuerName.Length > 0 ? m.IssuerName : m.IssuingBody,
        Title(m),
        $"{what}; số liệu đến ngày {Vn.Date(m.AsOf)}",
    ];

    private static Sheet Summary(ReportModel m)
    {
        var header = new List<string> { "Chỉ tiêu" };
        header.AddRange(m.PerYear.Select(y => $"Năm {y.Year}"));
        header.Add(m.IsPeriod ? $"Cả giai đoạn {m.PeriodLabel}" : "Số lượng");
        header.Add("Tỷ lệ");
        var perYear = m.PerYear.Select(y => y.Figures.HasRecords ? FigureLine.For(y.Figures) : null).ToList();
        var rows = new List<object?[]>();
        var lines = m.Lines;
        for (var i = 0; i < lines.Count; i++)
            rows.Add([lines[i].Label, .. perYear.Select(y => y is null ? Rate.None : (object?)y[i].Value), lines[i].Value, lines[i].Rate]);
        foreach (var ind in m.Indicators)
            rows.Add([ind.Label + (ind.Unit is { } u ? $" ({u})" : ""), .. perYear.Select(_ => (object?)null), ind.Value, null]);
        return new Sheet("Báo cáo", header, rows, new HashSet<int>());
    }

    private static Sheet Annex(ReportModel m)
    {
        var rows = new List<object?[]>();
        var n = 0;
        foreach (var r in AnnexRows(m))
            rows.Add([r.Own ? null : ++n, r.Code, new string(' ', 2 * Math.Min(r.Level - 1, 4)) + r.Name, .. AnnexColumns.All.Select(c => Value(c, r.Figures))]);
        rows.Add([null, "", "Tổng cộng", .. AnnexColumns.All.Select(c => Value(c, m.Totals))]);
        return new Sheet("Phụ lục", ["TT", "Mã", "Đơn vị", .. AnnexColumns.All.Select(c => c.Header)], rows, new HashSet<int> { rows.Count - 1 });
    }

    private static object Value(AnnexColumns.Column c, Figures f) => c.Count is { } count ? count(f) : c.Rate!(f);

    public static byte[] Xlsx(ReportModel m)
    {
        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var styles = wb.AddNewPart<WorkbookStylesPart>();
            Font F(bool bold, double size) => bold
                ? new Font(new Bold(), new FontSize { Val = size }, new FontName { Val = "Times New Roman" })
                : new Font(new FontSize { Val = size }, new FontName { Val = "Times New Roman" });
            var thin = new Border(new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
                new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());
            styles.Stylesheet = new Stylesheet(
                // Counts show the PDF's digits in any locale ("1.024.574": dots as literal characters, up to
                // 999.999.999); rates "0.0 %" show 97,8 % in a Vietnamese Excel (the decimal sign is the reader's).
                new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "0.0 %" }, new NumberingFormat { NumberFormatId = 165, FormatCode = CountFormat }) { Count = 2 },
                new Fonts(F(false, 11), F(true, 11), F(true, 13)) { Count = 3 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                    new Fill(new PatternFill(new ForegroundColor { Rgb = "FFEBEBEB" }) { PatternType = PatternValues.Solid })) { Count = 3 },
                new Borders(new Border(), thin) { Count = 2 },
                new CellFormats(
                    new CellFormat(),
                    new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true, BorderId = 1, ApplyBorder = true },
                    new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true, BorderId = 1, ApplyBorder = true },
                    new CellFormat { FontId = 1, ApplyFont = true, BorderId = 1, ApplyBorder = true, FillId = 2, ApplyFill = true },
                    new CellFormat(new Alignment { WrapText = true, Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center })
                        { FontId = 1, ApplyFont = true, BorderId = 1, ApplyBorder = true, FillId = 2, ApplyFill = true, ApplyAlignment = true },
                    new CellFormat { FontId = 2, ApplyFont = true },
                    new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true, FontId = 1, ApplyFont = true, BorderId = 1, ApplyBorder = true, FillId = 2, ApplyFill = true },
                    new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true, FontId = 1, ApplyFont = true, BorderId = 1, ApplyBorder = true, FillId = 2, ApplyFill = true },
                    new CellFormat { BorderId = 1, ApplyBorder = true }) { Count = 9 });
            var sheets = wb.Workbook.AppendChild(new Sheets());
            var names = new DefinedNames();
            AddSheet(wb, sheets, names, 1, Summary(m), [.. TitleRows(m, m.IsPeriod ? "Kết quả từng năm và cả giai đoạn (tỷ lệ tính trên tổng của giai đoạn)" : "Số liệu tổng hợp"),
                .. ReportText.YearsLeftOut(m) is { } leftOut ? [leftOut] : Array.Empty<string>()]);
            AddSheet(wb, sheets, names, 2, Annex(m), TitleRows(m, $"Phụ lục: kết quả {m.PeriodWords} theo đơn vị trực thuộc{(m.IsPeriod ? " (cộng các năm)" : "")}"));
            wb.Workbook.Append(names);
            wb.Workbook.Save();
        }
        return ms.ToArray();
    }

    private static void AddSheet(WorkbookPart wb, Sheets sheets, DefinedNames names, uint id, Sheet s, string[] titles)
    {
        var part = wb.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        var widths = s.Header.Select(h => Math.Min(14.0, h.Length)).ToArray();
        uint r = 0;
        foreach (var t in titles) data.Append(new Row(Text(t, r == 0 ? StyleTitle : 0)) { RowIndex = ++r });
        data.Append(new Row { RowIndex = ++r });
        var headerRow = ++r;
        var hr = new Row { RowIndex = headerRow, Height = 45, CustomHeight = true };
        foreach (var h in s.Header) hr.Append(Text(h, StyleHeader));
        data.Append(hr);
        for (var k = 0; k < s.Rows.Count; k++)
        {
            var values = s.Rows[k];
            var total = s.TotalRows.Contains(k);
            var row = new Row { RowIndex = ++r };
            for (var i = 0; i < values.Length; i++)
            {
                var (cell, shown) = values[i] switch
                {
                    null => (Text("", total ? StyleBold : 8), ""),
                    Rate rate when rate.Fraction is { } f => (new Cell { DataType = CellValues.Number, CellValue = new CellValue(f), StyleIndex = total ? StyleBoldPercent : StylePercent }, rate.ToString()),
                    Rate rate => (Text(rate.ToString(), total ? StyleBold : 8), rate.ToString()),
                    int n => (Number(n.ToString(CultureInfo.InvariantCulture), total), Vn.Number(n)),
                    long n => (Number(n.ToString(CultureInfo.InvariantCulture), total), Vn.Number(n)),
                    // An indicator's whole value shows its digits as a count does (2.000.015, the PDF's); a fraction keeps the reader's decimal sign.
                    decimal d when d == decimal.Truncate(d) && Math.Abs(d) < 1_000_000_000m => (Number(d.ToString("0", CultureInfo.InvariantCulture), total), Vn.Decimal(d)),
                    decimal d => (new Cell { DataType = CellValues.Number, CellValue = new CellValue(d), StyleIndex = total ? StyleBold : 8 }, d.ToString("#,##0.##", ServiceSetup.Vietnamese)),
                    var o => (Text(o.ToString() ?? "", total ? StyleBold : 8), o.ToString() ?? ""),
                };
                row.Append(cell);
                widths[i] = Math.Max(widths[i], shown.Length + 1);
            }
            data.Append(row);
        }
        var columns = new Columns(widths.Select((w, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = Math.Min(60, w + 2), CustomWidth = true }));
        var view = new SheetViews(new SheetView(new Pane { VerticalSplit = headerRow, TopLeftCell = $"A{headerRow + 1}", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen }) { WorkbookViewId = 0 });
        part.Worksheet = new Worksheet(
            new SheetProperties(new PageSetupProperties { FitToPage = true }),
            view, columns, data,
            new PrintOptions { HorizontalCentered = true },
            new PageMargins { Left = 0.6, Right = 0.4, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 },
            // A4 (9) landscape, one page wide, as many pages tall as needed.
            new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 },
            new HeaderFooter(new OddFooter("&C&P/&N")));
        sheets.Append(new DocumentFormat.OpenXml.Spreadsheet.Sheet { Id = wb.GetIdOfPart(part), SheetId = id, Name = s.Name });
        // The header row printed again at the top of every page.
        names.Append(new DefinedName($"'{s.Name}'!${headerRow}:${headerRow}") { Name = "_xlnm.Print_Titles", LocalSheetId = id - 1 });
    }

    private static Cell Number(string invariant, bool total) =>
        new() { DataType = CellValues.Number, CellValue = new CellValue(invariant), StyleIndex = total ? StyleBoldCount : StyleCount };

    private static Cell Text(string s, uint style) =>
        new() { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(Safe(s.Normalize(NormalizationForm.FormC)))), StyleIndex = style };

    /// <summary>The counts of the csv, one column each, and the rates in percent (one decimal, "." as decimal point).</summary>
    private static readonly (string Header, Func<Figures, long> Value)[] CsvCounts =
    [
        ("Đảng viên", f => f.Members), ("Có kế hoạch cá nhân", f => f.MembersWithPlan),
        ("Việc làm theo đăng ký", f => f.PledgesRegistered), ("Việc làm theo hoàn thành", f => f.PledgesDone), ("Việc làm theo quá hạn", f => f.PledgesOverdue),
        ("Nội dung tập thể đăng ký", f => f.CollectiveRegistered), ("Nội dung tập thể hoàn thành", f => f.CollectiveDone),
        ("Mô hình tập thể", f => f.ModelsCollective), ("Chỉ tiêu mô hình tập thể", f => f.QuotaCollective),
        ("Điển hình cá nhân", f => f.ModelsExemplar), ("Chỉ tiêu điển hình cá nhân", f => f.QuotaExemplar),
        ("Mô hình, điển hình được công nhận", f => f.ModelsRecognised), ("Lượt nhân rộng", f => f.Replications),
        ("Biểu dương", f => f.Praises), ("Giấy khen", f => f.Certificates), ("Bằng khen", f => f.Merits),
        ("Buổi học tập chuyên đề", f => f.StudySessions), ("Lượt dự học tập", f => f.AttendancePresent), ("Lượt điểm danh học tập", f => f.AttendanceRecorded),
        ("Vấn đề bức xúc đăng ký", f => f.ProblemsRegistered), ("Vấn đề bức xúc đã giải quyết", f => f.ProblemsResolved),
        ("Nhiệm vụ đột phá", f => f.LeaderTasks), ("Nhiệm vụ đột phá hoàn thành", f => f.LeaderTasksDone), ("Kế hoạch năm", f => f.Plans),
    ];

    private static readonly (string Header, Func<Figures, Rate> Value)[] CsvRates =
    [
        ("Tỷ lệ có kế hoạch (%)", f => f.PlanRate), ("Tỷ lệ việc làm theo hoàn thành (%)", f => f.PledgeRate),
        ("Tỷ lệ tập thể hoàn thành (%)", f => f.CollectiveRate), ("Tỷ lệ dự học tập (%)", f => f.AttendanceRate),
        ("Tỷ lệ vấn đề bức xúc đã giải quyết (%)", f => f.ProblemRate), ("Tỷ lệ nhiệm vụ đột phá hoàn thành (%)", f => f.LeaderTaskRate),
    ];

    /// <summary>
    /// One table: a header row, then one record per line — the unit itself ("Cấp" 0) for each year of a
    /// period and for the whole period (or the year), then each unit of the annex, and under a committee with rows
    /// below it a "– riêng cấp ủy" row (<see cref="WithOwnRows"/>). Every number as the PDF and the xlsx show it
    /// (vi-VN): counts "1.147", rates in percent "97,8" (empty when nothing was registered), indicators "1.147" or
    /// "12,5"; years, levels and dates are plain (dates ISO). RFC 4180 quoting, UTF-8 with BOM so Excel reads the diacritics.
    /// </summary>
    public static byte[] Csv(ReportModel m)
    {
        var sb = new StringBuilder();
        void Write(IEnumerable<string> fields)
        {
            // A line break inside a field would split a record over two lines.
            sb.Append(string.Join(',', fields.Select(f => Quote(Safe(f.Normalize(NormalizationForm.FormC).Replace("\r", " ").Replace("\n", " "))))));
            sb.Append("\r\n");
        }
        var indicators = m.Indicators.Select(i => i.Label + (i.Unit is { } u ? $" ({u})" : "")).ToList();
        Write(["Báo cáo", "Đơn vị ban hành", "Số liệu đến ngày", "Kỳ báo cáo", "Năm", "TT", "Mã", "Đơn vị", "Cấp",
            .. CsvCounts.Select(c => c.Header), .. CsvRates.Select(c => c.Header), .. indicators]);
        var report = (m.IsDraft ? "Dự thảo " : "") + m.NumberLine;
        var issuer = m.IssuerName.Length > 0 ? m.IssuerName : m.IssuingBody;
        var asOf = m.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var period = m.IsPeriod ? $"{m.FirstYear}-{m.Year}" : m.Year.ToString(CultureInfo.InvariantCulture);
        // A year of a period with nothing recorded has empty counts and rates, as the PDF's "—" (ReportModel.YearsWithoutRecords).
        IEnumerable<string> Record(string year, string tt, string code, string name, int level, Figures? f, bool withIndicators) =>
        [
            report, issuer, asOf, period, year, tt, code, name, level.ToString(CultureInfo.InvariantCulture),
            .. CsvCounts.Select(c => f is null ? "" : Vn.Number(c.Value(f))),
            .. CsvRates.Select(c => f is null ? "" : c.Value(f).Percent?.ToString("0.0", ServiceSetup.Vietnamese) ?? ""),
            .. m.Indicators.Select(i => withIndicators ? Vn.Decimal(i.Value) : ""),
        ];
        foreach (var y in m.PerYear)
            Write(Record(y.Year.ToString(CultureInfo.InvariantCulture), "", m.UnitCode, issuer, 0, y.Figures.HasRecords ? y.Figures : null, false));
        Write(Record(period, "", m.UnitCode, issuer, 0, m.Totals, true));
        var n = 0;
        foreach (var r in WithOwnRows(m, CsvCounts.Select(c => c.Value)))
            Write(Record(period, r.Own ? "" : (++n).ToString(CultureInfo.InvariantCulture), r.Code, r.Name, r.Level, r.Figures, false));
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>The annex's rows as the xlsx and the PDF show them: <see cref="WithOwnRows"/> over the annex's count columns.</summary>
    public static List<ExportRow> AnnexRows(ReportModel m) => WithOwnRows(m, AnnexColumns.All.Where(c => c.Count is not null).Select(c => c.Count!));

    /// <summary>An annex row, or (<see cref="Own"/>) the records of a committee itself.</summary>
    public sealed record ExportRow(string Code, string Name, int Level, Figures Figures, bool Own);

    /// <summary>" – riêng cấp ủy": the row of a committee's own records, under the committee's row.</summary>
    public const string OwnSuffix = " – riêng cấp ủy";

    /// <summary>
    /// The annex rows, each committee with rows below it followed by a row of its own records (study sessions, problems,
    /// commendations, leader tasks, plans, its own collective items… that belong to the committee and to none of the
    /// units below it): its figures less the sum of the rows one level below, field by field. So at every level the rows
    /// under a row add up to it in every column, and the reporting unit's own records (against the rows of level 1) come
    /// first. Such a row is written only where one of <paramref name="shown"/> differs from zero; no other figure changes.
    /// </summary>
    public static List<ExportRow> WithOwnRows(ReportModel m, IEnumerable<Func<Figures, long>> shown)
    {
        var columns = shown.ToList();
        var annex = m.Annex;
        var result = new List<ExportRow>(annex.Count + 16);
        void Own(string name, int level, Figures whole, IEnumerable<Figures> below)
        {
            var own = FiguresSum.Less(whole, below);
            // No code of its own: a unit's code stays on its one row (per place), so a reader keyed by code is not misled.
            if (own is not null && columns.Any(c => c(own) != 0)) result.Add(new ExportRow("", name + OwnSuffix, level, own, true));
        }
        Own(m.IssuerName.Length > 0 ? m.IssuerName : m.IssuingBody, 1, m.Totals, annex.Where(r => r.Level == 1).Select(r => r.Figures));
        for (var i = 0; i < annex.Count; i++)
        {
            var r = annex[i];
            result.Add(new ExportRow(r.Code, r.Name, r.Level, r.Figures, false));
            var below = annex.Skip(i + 1).TakeWhile(x => x.Level > r.Level).Where(x => x.Level == r.Level + 1).Select(x => x.Figures).ToList();
            if (below.Count > 0) Own(r.Name, r.Level + 1, r.Figures, below);
        }
        return result;
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
