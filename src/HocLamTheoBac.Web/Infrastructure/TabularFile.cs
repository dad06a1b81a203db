using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Reads the first sheet of an .xlsx or a .csv into a header and rows of text; writes simple templates.
/// Reading is bounded before and while parsing (issue 13: a 254 KB .xlsx unpacked to 100 MB and 4.000.000
/// rows): the declared unpacked size, the bytes actually inflated, rows, columns and cells; the sheet is
/// streamed (XmlReader), never loaded as a document. A CSV must be UTF-8 (with or without BOM) or UTF-16
/// with BOM; other encodings are refused by name. Cells that a spreadsheet would run as a formula are
/// refused with their line. Every problem is a <see cref="FormatException"/> with a Vietnamese message.
/// </summary>
public static class TabularFile
{
    public sealed record Table(string[] Header, List<(int Line, string[] Cells)> Rows);

    public sealed class FormatException(string message) : System.FormatException(message);

    /// <summary>Most bytes a file may unpack to (all parts of an .xlsx together, or a .csv).</summary>
    public const long MaxUnpackedBytes = 32L * 1024 * 1024;
    /// <summary>Most rows (header included; empty rows count too).</summary>
    public const int MaxRows = 100_000;
    /// <summary>Most columns of a row (a cell reference far to the right would otherwise pad every row).</summary>
    public const int MaxColumns = 100;
    /// <summary>Most cells in the file.</summary>
    public const int MaxCells = 1_500_000;
    private const int MaxZipEntries = 500;

    public static Table Read(Stream stream, string fileName)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        Table table;
        try
        {
            table = ext switch
            {
                ".xlsx" => ReadXlsx(stream),
                ".csv" => ReadCsv(stream),
                _ => throw new FormatException("Chỉ nhận tệp .xlsx hoặc .csv."),
            };
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or System.Xml.XmlException or NotSupportedException
                                       or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new FormatException("Không đọc được tệp: tệp hỏng hoặc không đúng định dạng " + ext + ".");
        }
        RefuseFormulas(table);
        return table;
    }

    /// <summary>
    /// A cell a spreadsheet would run as a formula when the text is opened again (CSV injection): after any
    /// leading spaces it starts with = or @, or with + or - followed by something other than a number
    /// ("+84 912 345 678" and "-5" are data; "+1+cmd|…" is not).
    /// </summary>
    public static bool LooksLikeFormula(string? value)
    {
        if (string.IsNullOrEmpty(value)) return false;
        var t = value.AsSpan().TrimStart(" \t\r\n\u00A0");
        if (t.Length == 0) return value[0] is '\t' or '\r';
        if (t[0] is '=' or '@') return true;
        if (t[0] is '+' or '-')
        {
            foreach (var c in t[1..])
                if (!(char.IsDigit(c) || c is ' ' or '.' or ',' or '(' or ')' or '/')) return true;
            return false;
        }
        return value[0] is '\t' or '\r';
    }

    private static void RefuseFormulas(Table table)
    {
        var bad = new List<(int Line, string Cell)>();
        var header = table.Header.FirstOrDefault(LooksLikeFormula);
        if (header is not null) bad.Add((1, header));
        foreach (var (line, cells) in table.Rows)
        {
            var cell = cells.FirstOrDefault(LooksLikeFormula);
            if (cell is not null) bad.Add((line, cell));
            if (bad.Count >= 5) break;
        }
        if (bad.Count == 0) return;
        var sample = bad[0].Cell.Trim();
        if (sample.Length > 40) sample = sample[..40] + "…";
        throw new FormatException(
            $"Dòng {string.Join(", ", bad.Select(b => b.Line))}: có ô bắt đầu bằng =, +, - hoặc @ giống công thức bảng tính (ví dụ “{sample}”). " +
            "Hệ thống không nhận các ô như vậy; hãy sửa hoặc xóa ký tự đầu rồi nhập lại.");
    }

    private static FormatException TooBig() =>
        new($"Tệp quá lớn: khi giải nén vượt {MaxUnpackedBytes / (1024 * 1024)} MB. Hãy chia thành nhiều tệp nhỏ hơn.");

    private static FormatException TooManyRows() =>
        new($"Tệp có quá {MaxRows.ToString("N0", ServiceSetup.Vietnamese)} dòng. Hãy chia thành nhiều tệp nhỏ hơn.");

    /// <summary>Counts rows, columns and cells as they are read.</summary>
    private sealed class Budget
    {
        private int _rows, _cells;
        public void Row() { if (++_rows > MaxRows) throw TooManyRows(); }
        public void Cells(int columns)
        {
            if (columns > MaxColumns) throw new FormatException($"Một dòng có quá {MaxColumns} cột. Hãy dùng tệp mẫu.");
            _cells += columns;
            if (_cells > MaxCells) throw new FormatException($"Tệp có quá {MaxCells.ToString("N0", ServiceSetup.Vietnamese)} ô. Hãy chia thành nhiều tệp nhỏ hơn.");
        }
    }

    /// <summary>What a read-only, forward-only stream answers to everything but reading.</summary>
    private abstract class ForwardReadStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A read-only stream that refuses to yield more than the shared budget of unpacked bytes.</summary>
    private sealed class LimitedStream(Stream inner, long[] left) : ForwardReadStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Take(inner.Read(buffer, offset, count));
        public override int Read(Span<byte> buffer) => Take(inner.Read(buffer));
        private int Take(int n)
        {
            left[0] -= n;
            if (left[0] < 0) throw TooBig();
            return n;
        }
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }

    private static Table ReadCsv(Stream stream)
    {
        var bytes = new MemoryStream();
        using (var limited = new LimitedStream(new NonClosing(stream), [MaxUnpackedBytes])) limited.CopyTo(bytes);
        var text = Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
        var firstLine = text.Split('\n', 2)[0];
        var delimiter = firstLine.Count(c => c == ';') > firstLine.Count(c => c == ',') ? ';' : ',';
        string[]? header = null;
        var rows = new List<(int, string[])>();
        var line = 0;
        var budget = new Budget();
        foreach (var record in CsvRecords(text, delimiter))
        {
            line++;
            budget.Row();
            budget.Cells(record.Length);
            if (header is null) { header = record.Select(h => h.Trim()).ToArray(); continue; }
            if (record.All(string.IsNullOrWhiteSpace)) continue;
            rows.Add((line, record));
        }
        return new Table(header ?? [], rows);
    }

    /// <summary>UTF-8 (BOM optional) or UTF-16 with BOM; anything else is refused with the likely cause.</summary>
    private static string Decode(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return Strict(new UTF8Encoding(false, true), b[3..], "UTF-8");
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Strict(new UnicodeEncoding(false, false, true), b[2..], "UTF-16");
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Strict(new UnicodeEncoding(true, false, true), b[2..], "UTF-16");
        var zeros = 0;
        foreach (var x in b[..Math.Min(b.Length, 4096)]) if (x == 0) zeros++;
        if (zeros > 0 && zeros * 5 > Math.Min(b.Length, 4096))
            throw new FormatException("Tệp CSV mã hóa UTF-16 nhưng thiếu dấu BOM nên không đọc chắc chắn được. " + SaveAsUtf8);
        try
        {
            return new UTF8Encoding(false, true).GetString(b);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("Tệp CSV không phải mã hóa UTF-8 (có thể là Windows-1258, TCVN3 hoặc VNI), tiếng Việt sẽ bị sai dấu. " + SaveAsUtf8);
        }
    }

    private const string SaveAsUtf8 = "Hãy mở tệp trong Excel và lưu lại dạng “CSV UTF-8 (Comma delimited)”, hoặc dùng tệp .xlsx.";

    private static string Strict(Encoding e, ReadOnlySpan<byte> b, string name)
    {
        try { return e.GetString(b); }
        catch (DecoderFallbackException) { throw new FormatException($"Tệp CSV có dấu {name} nhưng nội dung không đúng mã {name}. " + SaveAsUtf8); }
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
            else if (c == delimiter)
            {
                fields.Add(field.ToString()); field.Clear();
                if (fields.Count > MaxColumns) throw new FormatException($"Một dòng có quá {MaxColumns} cột. Hãy dùng tệp mẫu.");
            }
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

    private static readonly System.Xml.XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = false, CloseInput = true,
    };

    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>
    /// The first sheet straight from the zip package: sizes checked from the central directory before any
    /// part is inflated, then every part read through one byte budget with a forward-only XmlReader.
    /// </summary>
    private static Table ReadXlsx(Stream stream)
    {
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            using (var limited = new LimitedStream(new NonClosing(stream), [MaxUnpackedBytes])) limited.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        using var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count > MaxZipEntries) throw new FormatException("Tệp Excel có quá nhiều phần bên trong; không nhận.");
        long declared = 0;
        foreach (var e in zip.Entries) declared += e.Length;
        if (declared > MaxUnpackedBytes) throw TooBig();
        var budget = new long[] { MaxUnpackedBytes };

        System.Xml.XmlReader Open(string path)
        {
            var entry = zip.GetEntry(path.TrimStart('/')) ?? throw new FormatException("Tệp Excel thiếu phần " + path + "; tệp hỏng hoặc không phải bảng tính.");
            return System.Xml.XmlReader.Create(new LimitedStream(entry.Open(), budget), XmlSettings);
        }

        var workbookPath = Relationships(Open("_rels/.rels"), "")
            .FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target
            ?? throw new FormatException("Tệp không phải bảng tính Excel (.xlsx).");
        var folder = workbookPath.Contains('/') ? workbookPath[..(workbookPath.LastIndexOf('/') + 1)] : "";
        var rels = Relationships(Open(folder + "_rels/" + workbookPath[folder.Length..] + ".rels"), folder);
        string? sheetRel = null;
        using (var r = Open(workbookPath))
            while (r.Read())
                if (r.NodeType == System.Xml.XmlNodeType.Element && r.LocalName == "sheet" && r.NamespaceURI == MainNs)
                {
                    sheetRel = r.GetAttribute("id", RelNs);
                    break;
                }
        var sheetPath = rels.FirstOrDefault(x => x.Id == sheetRel).Target ?? throw new FormatException("Tệp Excel không có trang tính.");
        var sharedPath = rels.FirstOrDefault(x => x.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target;

        var counts = new Budget();
        var shared = new List<string>();
        if (sharedPath is not null)
            using (var r = Open(sharedPath))
                while (r.Read())
                    if (r.NodeType == System.Xml.XmlNodeType.Element && r.LocalName == "si")
                    {
                        if (shared.Count >= MaxCells) throw new FormatException($"Tệp có quá {MaxCells.ToString("N0", ServiceSetup.Vietnamese)} ô. Hãy chia thành nhiều tệp nhỏ hơn.");
                        shared.Add(Text(r));
                    }

        string[]? header = null;
        var rows = new List<(int, string[])>();
        using (var r = Open(sheetPath))
        {
            var lastLine = 0;
            while (r.Read())
            {
                if (r.NodeType != System.Xml.XmlNodeType.Element || r.LocalName != "row" || r.NamespaceURI != MainNs) continue;
                counts.Row();
                var line = int.TryParse(r.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > lastLine ? n : lastLine + 1;
                lastLine = line;
                var cells = ReadRow(r, shared);
                counts.Cells(cells.Count);
                if (header is null) { header = cells.Select(c => c.Trim()).ToArray(); continue; }
                if (cells.All(string.IsNullOrWhiteSpace)) continue;
                rows.Add((line, cells.ToArray()));
            }
        }
        return new Table(header ?? [], rows);
    }

    private static List<string> ReadRow(System.Xml.XmlReader r, List<string> shared)
    {
        var cells = new List<string>();
        if (r.IsEmptyElement) return cells;
        var depth = r.Depth;
        while (r.Read() && r.Depth > depth)
        {
            if (r.NodeType != System.Xml.XmlNodeType.Element || r.LocalName != "c") continue;
            var col = ColumnIndex(r.GetAttribute("r"));
            if (col < cells.Count) col = cells.Count;
            if (col >= MaxColumns) throw new FormatException($"Một dòng có quá {MaxColumns} cột. Hãy dùng tệp mẫu.");
            var type = r.GetAttribute("t");
            string value = "";
            if (!r.IsEmptyElement)
            {
                var cdepth = r.Depth;
                while (r.Read() && r.Depth > cdepth)
                {
                    if (r.NodeType != System.Xml.XmlNodeType.Element) continue;
                    if (r.LocalName == "v") value = r.ReadElementContentAsString();
                    else if (r.LocalName == "is") value = Text(r);
                    if (r.Depth <= cdepth) break;
                }
            }
            if (type == "s")
                value = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < shared.Count ? shared[i] : "";
            while (cells.Count < col) cells.Add("");
            cells.Add(value);
        }
        return cells;
    }

    /// <summary>The text of a string item (si or is): its t elements, phonetic runs (rPh) left out.</summary>
    private static string Text(System.Xml.XmlReader r)
    {
        if (r.IsEmptyElement) return "";
        var sb = new StringBuilder();
        var depth = r.Depth;
        var skipDepth = -1;
        while (r.Read() && r.Depth > depth)
        {
            if (skipDepth >= 0) { if (r.Depth <= skipDepth) skipDepth = -1; else continue; }
            if (r.NodeType == System.Xml.XmlNodeType.Element && r.LocalName == "rPh" && !r.IsEmptyElement) { skipDepth = r.Depth; continue; }
            if (r.NodeType == System.Xml.XmlNodeType.Element && r.LocalName == "t")
            {
                sb.Append(r.ReadElementContentAsString());
                if (sb.Length > 32_767) throw new FormatException("Một ô có quá 32.767 ký tự; tệp hỏng hoặc không phải bảng tính bình thường.");
                if (r.Depth <= depth) break;
            }
        }
        return sb.ToString();
    }

    private static List<(string Id, string Type, string Target)> Relationships(System.Xml.XmlReader reader, string folder)
    {
        var list = new List<(string, string, string)>();
        using (reader)
            while (reader.Read())
                if (reader.NodeType == System.Xml.XmlNodeType.Element && reader.LocalName == "Relationship" && reader.NamespaceURI == PackageRelNs)
                {
                    var target = reader.GetAttribute("Target") ?? "";
                    target = target.StartsWith('/') ? target[1..] : folder + target;
                    list.Add((reader.GetAttribute("Id") ?? "", reader.GetAttribute("Type") ?? "", target));
                    if (list.Count > MaxZipEntries) throw new FormatException("Tệp Excel có quá nhiều phần bên trong; không nhận.");
                }
        return list;
    }

    /// <summary>Lets a reader wrap the caller's stream without closing it.</summary>
    private sealed class NonClosing(Stream inner) : ForwardReadStream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
    }

    private static int ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return 0;
        var n = 0;
        foreach (var c in reference.TakeWhile(char.IsLetter)) n = n * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        return n - 1;
    }

    /// <summary>Parses dd/MM/yyyy, d/M/yyyy, yyyy-MM-dd, or an Excel date serial. Empty → null; bad → false.</summary>
    public static bool TryDate(string? text, out DateOnly? date)
    {
        if (HocLamTheoBac.Web.Domain.VietnameseDates.TryParse(text, out date)) return true;
        var t = text!.Trim();
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

    /// <summary>
    /// Text written to a CSV or sheet that a spreadsheet would run as a formula (=, +, -, @, tab or CR first,
    /// also after leading spaces, as in indented unit names) gets an apostrophe in front.
    /// </summary>
    public static string Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var t = value.AsSpan().TrimStart(" \u00A0");
        return value[0] is '\t' or '\r' || (t.Length > 0 && t[0] is '=' or '+' or '-' or '@' or '\t' or '\r') ? "'" + value : value;
    }
}
