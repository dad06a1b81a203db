using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>Reads the first sheet of an .xlsx or a .csv into a header and rows of text; writes simple templates.</summary>
public static class TabularFile
{
    public sealed record Table(string[] Header, List<(int Line, string[] Cells)> Rows);

    public sealed class FormatException(string message) : System.FormatException(message);

    public static Table Read(Stream stream, string fileName)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        try
        {
            return ext switch
            {
                ".xlsx" => ReadXlsx(stream),
                ".csv" => ReadCsv(stream),
                _ => throw new FormatException("Chỉ nhận tệp .xlsx hoặc .csv."),
            };
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or System.IO.IOException or System.Xml.XmlException)
        {
            throw new FormatException("Không đọc được tệp: tệp hỏng hoặc không đúng định dạng " + ext + ".");
        }
    }

    private static Table ReadCsv(Stream stream)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var text = reader.ReadToEnd();
        var firstLine = text.Split('\n', 2)[0];
        var delimiter = firstLine.Count(c => c == ';') > firstLine.Count(c => c == ',') ? ';' : ',';
        string[]? header = null;
        var rows = new List<(int, string[])>();
        var line = 0;
        foreach (var record in CsvRecords(text, delimiter))
        {
            line++;
            if (header is null) { header = record.Select(h => h.Trim()).ToArray(); continue; }
            if (record.All(string.IsNullOrWhiteSpace)) continue;
            rows.Add((line, record));
        }
        return new Table(header ?? [], rows);
    }

    /// <summary>RFC 4180 records: quoted fields may hold the delimiter, doubled quotes and line breaks.</summary>
    private static IEnumerable<string[]> CsvRecords(string text, char delimiter)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == delimiter) { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString()); field.Clear();
                yield return fields.ToArray();
                fields.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return fields.ToArray();
        }
    }

    private static Table ReadXlsx(Stream stream)
    {
        using var doc = SpreadsheetDocument.Open(stream, false);
        var wb = doc.WorkbookPart ?? throw new FormatException("Tệp Excel không có trang tính.");
        var sheet = wb.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new FormatException("Tệp Excel không có trang tính.");
        var part = (WorksheetPart)wb.GetPartById(sheet.Id!);
        var shared = wb.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
        string[]? header = null;
        var rows = new List<(int, string[])>();
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var col = ColumnIndex(cell.CellReference?.Value);
                while (cells.Count < col) cells.Add("");
                cells.Add(CellText(cell, shared));
            }
            var line = (int)(row.RowIndex?.Value ?? (uint)(rows.Count + 2));
            if (header is null) { header = cells.Select(c => c.Trim()).ToArray(); continue; }
            if (cells.All(string.IsNullOrWhiteSpace)) continue;
            rows.Add((line, cells.ToArray()));
        }
        return new Table(header ?? [], rows);
    }

    private static int ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return 0;
        var n = 0;
        foreach (var c in reference.TakeWhile(char.IsLetter)) n = n * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        return n - 1;
    }

    private static string CellText(Cell cell, string[] shared)
    {
        var v = cell.CellValue?.Text ?? cell.InlineString?.InnerText ?? "";
        if (cell.DataType?.Value == CellValues.SharedString && int.TryParse(v, out var i) && i >= 0 && i < shared.Length) return shared[i];
        return v;
    }

    /// <summary>Parses dd/MM/yyyy, d/M/yyyy, yyyy-MM-dd, or an Excel date serial. Empty → null; bad → false.</summary>
    public static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var t = text.Trim();
        string[] formats = ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy"];
        if (DateOnly.TryParseExact(t, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) { date = d; return true; }
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 80000)
        {
            date = DateOnly.FromDateTime(DateTime.FromOADate(serial));
            return true;
        }
        return false;
    }

    /// <summary>A one-sheet workbook with a bold header row; every cell and every column is text (templates and simple exports).</summary>
    public static byte[] WriteXlsx(string sheetName, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var styles = wb.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font(), new Font(new Bold())),
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
                new Borders(new Border()),
                // Style 2 is the text format "@": what a user types in a template stays text (card number 08099003, phone 0912…).
                new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true }, new CellFormat { NumberFormatId = 49, ApplyNumberFormat = true }));
            var ws = wb.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(TextRow(header, 1));
            foreach (var r in rows) data.Append(TextRow(r, 2));
            var cols = new Columns(header.Select((h, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = Math.Max(14, h.Length + 4), CustomWidth = true, Style = 2 }));
            ws.Worksheet = new Worksheet(cols, data);
            wb.Workbook.AppendChild(new Sheets(new Sheet { Id = wb.GetIdOfPart(ws), SheetId = 1, Name = sheetName }));
        }
        return ms.ToArray();
    }

    private static Row TextRow(IEnumerable<string> cells, uint style) =>
        new(cells.Select(c => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(Neutralise(c))), StyleIndex = style }));

    /// <summary>A cell that starts with = + - @ would run as a formula in a spreadsheet: prefix it with an apostrophe.</summary>
    public static string Neutralise(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
