using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using HocLamTheoBac.Web.Infrastructure;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Reads an exported workbook or CSV back and lists every cell a spreadsheet would run as a formula.
/// Export tests (issue 6: xlsx/csv reports) call <see cref="AssertNoFormulas(byte[])"/> on what they download.
/// </summary>
public static class SpreadsheetSafety
{
    private static readonly char[] Triggers = ['=', '+', '-', '@', '\t', '\r'];

    public static List<string> FormulaCells(byte[] xlsx)
    {
        using var ms = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(ms, false);
        var shared = doc.WorkbookPart!.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        var found = new List<string>();
        foreach (var sheet in doc.WorkbookPart.WorksheetParts)
            foreach (var cell in sheet.Worksheet.Descendants<Cell>())
            {
                if (cell.CellFormula is not null) { found.Add($"{cell.CellReference}: formula {cell.CellFormula.Text}"); continue; }
                var text = cell.DataType?.Value == CellValues.SharedString && int.TryParse(cell.CellValue?.Text, out var i) ? shared[i]
                    : cell.DataType?.Value == CellValues.InlineString ? cell.InlineString?.InnerText
                    : cell.DataType?.Value == CellValues.String ? cell.CellValue?.Text : null;
                if (text is { Length: > 0 } && Triggers.Contains(text[0])) found.Add($"{cell.CellReference}: {text}");
            }
        return found;
    }

    public static List<string> FormulaCells(string csv) =>
        csv.Split('\n').SelectMany((line, n) => SplitCsv(line).Select(c => (n, c)))
            .Where(x => x.c.Length > 0 && Triggers.Contains(x.c[0])).Select(x => $"line {x.n + 1}: {x.c}").ToList();

    public static void AssertNoFormulas(byte[] xlsx)
    {
        var cells = FormulaCells(xlsx);
        Assert.True(cells.Count == 0, "cells that would run as formulas:\n" + string.Join("\n", cells));
    }

    private static IEnumerable<string> SplitCsv(string line)
    {
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted) { if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; } else if (c == '"') quoted = false; else cell.Append(c); }
            else if (c == '"' && cell.Length == 0) quoted = true;
            else if (c is ',' or ';') { yield return cell.ToString(); cell.Clear(); }
            else cell.Append(c);
        }
        yield return cell.ToString().TrimEnd('\r');
    }
}

public sealed class SpreadsheetSafetyTests
{
    public static readonly string[] Hostile = ["=HYPERLINK(\"http://x\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0", "Nguyễn Văn An", "", "100"];

    [Fact]
    public void Cells_that_start_like_a_formula_are_written_as_inert_text_in_xlsx_exports()
    {
        var xlsx = TabularFile.WriteXlsx("Kiểm thử", ["Họ và tên", "Ghi chú"], Hostile.Select(h => (IReadOnlyList<string>)[h, h]));
        SpreadsheetSafety.AssertNoFormulas(xlsx);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var texts = doc.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Cell>().Select(c => c.InnerText).ToList();
        Assert.Contains("'=HYPERLINK(\"http://x\",\"bấm\")", texts);
        Assert.Contains("Nguyễn Văn An", texts);
    }

    [Fact]
    public void The_checker_itself_finds_a_formula_cell_so_it_cannot_pass_by_accident()
    {
        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var ws = wb.AddNewPart<WorksheetPart>();
            ws.Worksheet = new Worksheet(new SheetData(new Row(
                new Cell { CellReference = "A1", CellFormula = new CellFormula("1+1") },
                new Cell { CellReference = "B1", DataType = CellValues.InlineString, InlineString = new InlineString(new Text("=2+2")) })));
            wb.Workbook.AppendChild(new Sheets(new Sheet { Id = wb.GetIdOfPart(ws), SheetId = 1, Name = "x" }));
        }
        Assert.Equal(2, SpreadsheetSafety.FormulaCells(ms.ToArray()).Count);
        Assert.Single(SpreadsheetSafety.FormulaCells("Họ tên,Ghi chú\nAn,=1+1\n"));
    }

    [Fact]
    public void The_member_import_templates_hold_no_formula_cells()
    {
        SpreadsheetSafety.AssertNoFormulas(HocLamTheoBac.Web.Pages.Members.MemberImport.TemplateXlsx());
        Assert.Empty(SpreadsheetSafety.FormulaCells(System.Text.Encoding.UTF8.GetString(HocLamTheoBac.Web.Pages.Members.MemberImport.TemplateCsv())));
    }
}
