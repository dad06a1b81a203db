using HocLamTheoBac.Web.Reports.Pdf.Components;
using PdfSharp.Pdf;

namespace HocLamTheoBac.Web.Reports.Pdf;

/// <summary>The year-end report as a PDF: header, title, sections I–IV, signature, annex, page numbers.</summary>
public static class ReportDocument
{
    public static byte[] Render(ReportModel model) => Render(model, null);

    /// <summary>The render's phases and their milliseconds, for the bench's profile (tools/ bench-report).</summary>
    public static IReadOnlyList<(string Phase, double Ms)> RenderPhases(ReportModel model)
    {
        var phases = new List<(string, double)>();
        Render(model, phases);
        return phases;
    }

    private static byte[] Render(ReportModel model, List<(string, double)>? phases)
    {
        var sw = phases is null ? null : System.Diagnostics.Stopwatch.StartNew();
        void Mark(string name) { if (sw is null) return; phases!.Add((name, sw.Elapsed.TotalMilliseconds)); sw.Restart(); }
        EmbeddedFontResolver.Install();
        using var doc = new PdfDocument();
        doc.Info.Title = Canvas.Nfc($"Báo cáo {model.NumberLine} – {model.IssuingBody}");
        doc.Info.Creator = "HocLamTheoBac";
        using (var c = new Canvas(doc))
        {
            c.NewPage();
            Header.Draw(c, model);
            Title.Draw(c, model);
            Sections.Draw(c, model);
            Signature.Draw(c, model);
            Mark("body");
            AnnexTable.Draw(c, model);
            Mark("annex");
        }
        using (var numbering = new Canvas(doc)) PageNumbers.Draw(numbering);
        Mark("numbers");
        using var ms = new MemoryStream();
        doc.Save(ms, false);
        var bytes = ms.ToArray();
        Mark("save");
        return bytes;
    }
}
