using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Reads the first sheet of an .xlsx or a .csv into a header and rows of text; writes simple templates.
/// Reading is bounded before and while parsing (a crafted 254 KB .xlsx once unpacked to 100 MB and 4.000.000
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

    /// <summary>
    /// The bounds of one read. <see cref="Upload"/> (the constants above) for files sent through the site;
    /// <see cref="Server"/> for a file the server's operator reads with the command line (`hlb import pledges`):
    /// rows stream through, so more rows cost time, not memory, but an .xlsx's declared and inflated sizes and
    /// the columns of a row stay bounded.
    /// </summary>
    public sealed record Limits(long MaxUnpackedBytes, int MaxRows, long MaxCells)
    {
        public static readonly Limits Upload = new(TabularFile.MaxUnpackedBytes, TabularFile.MaxRows, TabularFile.MaxCells);
        public static readonly Limits Server = new(4L * 1024 * 1024 * 1024, 20_000_000, 200_000_000);
    }

    /// <summary>A file opened for streaming: the header now, the rows one by one as <see cref="Rows"/> is enumerated (once).</summary>
    public sealed class Reader(string[] header, IEnumerable<(int Line, string[] Cells)> rows, IDisposable? owner) : IDisposable
    {
        public string[] Header { get; } = header;
        /// <summary>Non-empty data rows with their line number; a formula cell or a broken file throws <see cref="FormatException"/> while enumerating.</summary>
        public IEnumerable<(int Line, string[] Cells)> Rows { get; } = rows;
        public void Dispose() => owner?.Dispose();
    }

    /// <summary>Reads the whole file into memory, within the upload bounds (small files: units, members, the page).</summary>
    public static Table Read(Stream stream, string fileName)
    {
        using var reader = Open(stream, fileName, Limits.Upload);
        return new Table(reader.Header, reader.Rows.ToList());
    }

    /// <summary>Opens a file for streaming within <paramref name="limits"/>; every problem is a <see cref="FormatException"/>, now or while enumerating.</summary>
    public static Reader Open(Stream stream, string fileName, Limits limits)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        if (ext is not (".xlsx" or ".csv")) throw new FormatException($"Tệp “{Path.GetFileName(fileName)}” không phải tệp CSV hay Excel: chỉ nhận tệp .xlsx hoặc .csv (tải tệp mẫu ở trên).");
        var rows = Guard(ext == ".xlsx" ? ReadXlsx(stream, limits) : ReadCsv(stream, limits), ext).GetEnumerator();
        string[] header = [];
        var owner = new Disposer(rows);
        try
        {
            if (rows.MoveNext()) header = rows.Current.Cells;
        }
        catch
        {
            owner.Dispose();
            throw;
        }
        return new Reader(header, RefuseFormulas(header, Rest(rows)), owner);

        static IEnumerable<(int, string[])> Rest(IEnumerator<(int, string[])> e)
        {
            while (e.MoveNext()) yield return e.Current;
        }
    }

    private sealed class Disposer(IDisposable inner) : IDisposable
    {
        public void Dispose() => inner.Dispose();
    }

    /// <summary>Turns what a broken file throws while being read into the one Vietnamese message.</summary>
    private static IEnumerable<(int Line, string[] Cells)> Guard(IEnumerable<(int Line, string[] Cells)> inner, string ext)
    {
        using var e = inner.GetEnumerator();
        while (true)
        {
            bool more;
            try { more = e.MoveNext(); }
            catch (Exception ex) when (ex is InvalidDataException or IOException or System.Xml.XmlException or NotSupportedException
                                           or ArgumentException or InvalidOperationException or OverflowException)
            {
                throw new FormatException("Không đọc được tệp: tệp hỏng hoặc không đúng định dạng " + ext + ".");
            }
            if (!more) yield break;
            yield return e.Current;
        }
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

    private static bool HasControlCharacter(string? value) =>
        value is not null && value.Any(c => c < ' ' && c is not '\t' and not '\r' and not '\n');

    /// <summary>
    /// Passes rows through; at the first cell that looks like a formula or holds a control character, reads on to name
    /// up to five such lines (of either kind, so one try shows them together), then refuses the file.
    /// </summary>
    private static IEnumerable<(int Line, string[] Cells)> RefuseFormulas(string[] header, IEnumerable<(int Line, string[] Cells)> rows)
    {
        var formulas = new List<(int Line, string Cell)>();
        var controls = new List<int>();
        var h = header.FirstOrDefault(LooksLikeFormula);
        if (h is not null) formulas.Add((1, h));
        if (header.Any(HasControlCharacter)) controls.Add(1);
        foreach (var (line, cells) in rows)
        {
            // A control character (NUL above all: PostgreSQL refuses it in text) is no data a person typed.
            if (cells.Any(HasControlCharacter)) controls.Add(line);
            var cell = cells.FirstOrDefault(LooksLikeFormula);
            if (cell is not null) formulas.Add((line, cell));
            if (formulas.Count + controls.Count >= 5) break;
            if (formulas.Count + controls.Count == 0) yield return (line, cells);
        }
        if (formulas.Count + controls.Count == 0) yield break;
        var said = new List<string>();
        if (controls.Count > 0)
            said.Add($"Dòng {string.Join(", ", controls)}: có ô chứa ký tự điều khiển không in được (ví dụ ký tự NUL). Hãy mở tệp, lưu lại dưới dạng .xlsx hoặc CSV UTF-8 rồi nhập lại.");
        if (formulas.Count > 0)
        {
            var sample = formulas[0].Cell.Trim();
            if (sample.Length > 40) sample = sample[..40] + "…";
            said.Add($"Dòng {string.Join(", ", formulas.Select(b => b.Line))}: có ô bắt đầu bằng =, +, - hoặc @ giống công thức bảng tính (ví dụ “{sample}”). " +
                     "Hệ thống không nhận các ô như vậy; hãy sửa hoặc xóa ký tự đầu rồi nhập lại.");
        }
        throw new FormatException(string.Join(" ", said));
    }

    private static FormatException TooBig(long maxBytes) =>
        new($"Tệp quá lớn: khi giải nén vượt {maxBytes / (1024 * 1024)} MB. Hãy chia thành nhiều tệp nhỏ hơn.");

    private static FormatException TooManyCells(long maxCells) =>
        new($"Tệp có quá {maxCells.ToString("N0", ServiceSetup.Vietnamese)} ô. Hãy chia thành nhiều tệp nhỏ hơn.");

    /// <summary>Counts rows, columns and cells as they are read.</summary>
    private sealed class Budget(Limits limits)
    {
        private long _rows, _cells;
        public void Row() { if (++_rows > limits.MaxRows) throw new FormatException($"Tệp có quá {limits.MaxRows.ToString("N0", ServiceSetup.Vietnamese)} dòng. Hãy chia thành nhiều tệp nhỏ hơn."); }
        public void Cells(int columns)
        {
            if (columns > MaxColumns) throw new FormatException($"Một dòng có quá {MaxColumns} cột. Hãy dùng tệp mẫu.");
            _cells += columns;
            if (_cells > limits.MaxCells) throw TooManyCells(limits.MaxCells);
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
    private sealed class LimitedStream(Stream inner, long[] left, long max) : ForwardReadStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Take(inner.Read(buffer, offset, count));
        public override int Read(Span<byte> buffer) => Take(inner.Read(buffer));
        private int Take(int n)
        {
            left[0] -= n;
            if (left[0] < 0) throw TooBig(max);
            return n;
        }
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }

    /// <summary>Header first, then the non-empty rows; the text is decoded and parsed as it streams.</summary>
    private static IEnumerable<(int, string[])> ReadCsv(Stream stream, Limits limits)
    {
        using var limited = new LimitedStream(new NonClosing(stream), [limits.MaxUnpackedBytes], limits.MaxUnpackedBytes);
        var head = new byte[4096];
        var n = 0;
        for (int got; n < head.Length && (got = limited.Read(head, n, head.Length - n)) > 0;) n += got;
        var (encoding, name, skip) = Detect(head.AsSpan(0, n));
        using var text = new StreamReader(new PrefixStream(head, skip, n, limited), encoding, false, 64 * 1024);
        var chars = new CharSource(text, name);
        var firstLine = chars.PeekLine();
        var delimiter = firstLine.Count(c => c == ';') > firstLine.Count(c => c == ',') ? ';' : ',';
        var header = false;
        var line = 0;
        var budget = new Budget(limits);
        foreach (var record in CsvRecords(chars, delimiter))
        {
            line++;
            budget.Row();
            budget.Cells(record.Length);
            if (!header) { header = true; yield return (1, record.Select(h => h.Trim()).ToArray()); continue; }
            if (record.All(string.IsNullOrWhiteSpace)) continue;
            yield return (line, record);
        }
        if (!header) yield return (1, []);
    }

    /// <summary>Bytes already read from the head of the file, then the rest of it.</summary>
    private sealed class PrefixStream(byte[] head, int from, int to, Stream rest) : ForwardReadStream
    {
        private int _at = from;
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (_at < to)
            {
                var n = Math.Min(buffer.Length, to - _at);
                head.AsSpan(_at, n).CopyTo(buffer);
                _at += n;
                return n;
            }
            return rest.Read(buffer);
        }
    }

    /// <summary>Characters one at a time with one of look-ahead; a byte sequence invalid in the encoding becomes the Vietnamese message.</summary>
    private sealed class CharSource(StreamReader reader, string encodingName)
    {
        private readonly char[] _buffer = new char[64 * 1024];
        private int _at, _len;

        private bool Fill()
        {
            try { _len = reader.Read(_buffer, 0, _buffer.Length); }
            catch (DecoderFallbackException)
            {
                throw new FormatException(encodingName == "UTF-8"
                    ? "Tệp CSV không phải mã hóa UTF-8 (có thể là Windows-1258, TCVN3 hoặc VNI), tiếng Việt sẽ bị sai dấu. " + SaveAsUtf8
                    : $"Tệp CSV có dấu {encodingName} nhưng nội dung không đúng mã {encodingName}. " + SaveAsUtf8);
            }
            _at = 0;
            return _len > 0;
        }

        public int Read() => _at < _len || Fill() ? _buffer[_at++] : -1;
        public int Peek() => _at < _len || Fill() ? _buffer[_at] : -1;

        /// <summary>The first line, without consuming it (it must fit in the buffer; a longer first line is read as far as it goes).</summary>
        public string PeekLine()
        {
            if (_at >= _len) Fill();
            var span = _buffer.AsSpan(_at, _len - _at);
            var end = span.IndexOf('\n');
            return new string(end < 0 ? span : span[..end]);
        }
    }

    /// <summary>
    /// What a file's first bytes say it is when it is no text at all (an image, a PDF, an old binary .xls): null for
    /// anything that may be text or a zip package (.xlsx).
    /// </summary>
    internal static string? BinaryKind(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])) return "một ảnh PNG";
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "một ảnh JPEG";
        if (b.StartsWith("GIF8"u8)) return "một ảnh GIF";
        if (b.StartsWith("%PDF"u8)) return "một tệp PDF";
        if (b.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0])) return "một tệp Excel hoặc Word đời cũ (.xls, .doc): hãy mở bằng Excel và lưu lại dạng .xlsx";
        return null;
    }

    /// <summary>The message for a file that is not a CSV or Excel file at all.</summary>
    private static FormatException NotTabular(string what) =>
        new($"Tệp không phải tệp CSV hay Excel (.xlsx): nội dung là {what}. Hãy chọn tệp .xlsx hoặc .csv (tải tệp mẫu ở trên).");

    /// <summary>UTF-8 (BOM optional) or UTF-16 with BOM; anything else is refused with the likely cause. Returns the strict decoder and how many BOM bytes to skip.</summary>
    private static (Encoding Encoding, string Name, int Skip) Detect(ReadOnlySpan<byte> b)
    {
        if (BinaryKind(b) is { } kind) throw NotTabular(kind);
        if (b.StartsWith("PK\u0003\u0004"u8)) throw NotTabular("một tệp nén (có thể là tệp .xlsx bị đổi tên thành .csv: hãy giữ đuôi .xlsx)");
        if (b.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (new UTF8Encoding(false, true), "UTF-8", 3);
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (new UnicodeEncoding(false, false, true), "UTF-16", 2);
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (new UnicodeEncoding(true, false, true), "UTF-16", 2);
        var zeros = 0;
        foreach (var x in b[..Math.Min(b.Length, 4096)]) if (x == 0) zeros++;
        if (zeros > 0 && zeros * 5 > Math.Min(b.Length, 4096))
            throw new FormatException("Tệp CSV mã hóa UTF-16 nhưng thiếu dấu BOM nên không đọc chắc chắn được. " + SaveAsUtf8);
        return (new UTF8Encoding(false, true), "UTF-8", 0);
    }

    private const string SaveAsUtf8 = "Hãy mở tệp trong Excel và lưu lại dạng “CSV UTF-8 (Comma delimited)”, hoặc dùng tệp .xlsx.";

    /// <summary>RFC 4180 records: quoted fields may hold the delimiter, doubled quotes and line breaks.</summary>
    private static IEnumerable<string[]> CsvRecords(CharSource text, char delimiter)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var c = text.Read(); c >= 0; c = text.Read())
        {
            if (quoted)
            {
                if (c == '"' && text.Peek() == '"') { field.Append('"'); text.Read(); }
                else if (c == '"') quoted = false;
                else field.Append((char)c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == delimiter)
            {
                fields.Add(field.ToString()); field.Clear();
                if (fields.Count > MaxColumns) throw new FormatException($"Một dòng có quá {MaxColumns} cột. Hãy dùng tệp mẫu.");
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && text.Peek() == '\n') text.Read();
                fields.Add(field.ToString()); field.Clear();
                yield return fields.ToArray();
                fields.Clear();
            }
            else field.Append((char)c);
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
    private static IEnumerable<(int, string[])> ReadXlsx(Stream stream, Limits limits)
    {
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            using (var limited = new LimitedStream(new NonClosing(stream), [limits.MaxUnpackedBytes], limits.MaxUnpackedBytes)) limited.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        var start = stream.Position;
        var head = new byte[8];
        var got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (BinaryKind(head.AsSpan(0, got)) is { } kind) throw NotTabular(kind);
        if (!head.AsSpan(0, got).StartsWith("PK"u8))
            throw new FormatException("Không đọc được tệp: tệp hỏng hoặc không phải bảng tính Excel (.xlsx) dù có đuôi .xlsx (nếu là tệp CSV, hãy giữ đuôi .csv).");
        using var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count > MaxZipEntries) throw new FormatException("Tệp Excel có quá nhiều phần bên trong; không nhận.");
        long declared = 0;
        foreach (var e in zip.Entries) declared += e.Length;
        if (declared > limits.MaxUnpackedBytes) throw TooBig(limits.MaxUnpackedBytes);
        var budget = new long[] { limits.MaxUnpackedBytes };

        System.Xml.XmlReader Open(string path)
        {
            var entry = zip.GetEntry(path.TrimStart('/')) ?? throw new FormatException("Tệp Excel thiếu phần " + path + "; tệp hỏng hoặc không phải bảng tính.");
            return System.Xml.XmlReader.Create(new LimitedStream(entry.Open(), budget, limits.MaxUnpackedBytes), XmlSettings);
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

        var counts = new Budget(limits);
        var shared = new List<string>();
        if (sharedPath is not null)
            using (var r = Open(sharedPath))
                while (r.Read())
                    if (r.NodeType == System.Xml.XmlNodeType.Element && r.LocalName == "si")
                    {
                        if (shared.Count >= limits.MaxCells) throw TooManyCells(limits.MaxCells);
                        shared.Add(Text(r));
                    }

        var header = false;
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
                if (!header) { header = true; yield return (line, cells.Select(c => c.Trim()).ToArray()); continue; }
                if (cells.All(string.IsNullOrWhiteSpace)) continue;
                yield return (line, cells.ToArray());
            }
        }
        if (!header) yield return (1, []);
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
            string? formula = null;
            if (!r.IsEmptyElement)
            {
                var cdepth = r.Depth;
                while (r.Read() && r.Depth > cdepth)
                {
                    if (r.NodeType != System.Xml.XmlNodeType.Element) continue;
                    if (r.LocalName == "v") value = r.ReadElementContentAsString();
                    else if (r.LocalName == "is") value = Text(r);
                    else if (r.LocalName == "f") formula = r.ReadElementContentAsString();
                    if (r.Depth <= cdepth) break;
                }
            }
            if (type == "s")
                value = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < shared.Count ? shared[i] : "";
            // A formula cell is read as its formula, so it is refused with its line as a CSV's "=1+1" is (its cached
            // value was once imported as data: the walk of session 16).
            if (formula is not null) value = "=" + formula;
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
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 80000
            && DateOnly.FromDateTime(DateTime.FromOADate(serial)) is var day && HocLamTheoBac.Web.Domain.VietnameseDates.YearAccepted(day.Year))
        {
            date = day;
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
