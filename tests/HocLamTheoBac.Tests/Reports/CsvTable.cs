using System.Text;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>A report csv read back: its header and records (RFC 4180 fields), with look-ups by column name.</summary>
public sealed class CsvTable
{
    public List<string> Header { get; }
    public List<List<string>> Records { get; }

    private CsvTable(List<string> header, List<List<string>> records) => (Header, Records) = (header, records);

    public static CsvTable Parse(string text)
    {
        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(Fields).ToList();
        return new CsvTable(lines[0], lines.Skip(1).ToList());
    }

    public int Col(string name) => Header.IndexOf(name) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"no column '{name}' in {string.Join("|", Header)}");

    /// <summary>The value in column <paramref name="column"/> of the one record where every (column, value) pair matches.</summary>
    public string Value(string column, params (string Column, string Value)[] where) =>
        Records.Single(r => where.All(w => r[Col(w.Column)] == w.Value))[Col(column)];

    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
            else if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(ch);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
