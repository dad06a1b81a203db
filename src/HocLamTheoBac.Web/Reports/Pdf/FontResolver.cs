using PdfSharp.Fonts;

namespace HocLamTheoBac.Web.Reports.Pdf;

/// <summary>Serves the Liberation Serif faces embedded in this assembly (OFL-1.1, see Reports/Fonts/LICENSE-OFL.txt).</summary>
public sealed class EmbeddedFontResolver : IFontResolver
{
    private static readonly object Gate = new();
    private static bool _installed;

    /// <summary>Sets the AGPL licence and this resolver once per process, before the first document.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            PdfSharp.PdfSharpLicense.SetAgplLicense();
            GlobalFontSettings.FontResolver = new EmbeddedFontResolver();
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new((bold, italic) switch
        {
            (true, true) => "LiberationSerif-BoldItalic",
            (true, false) => "LiberationSerif-Bold",
            (false, true) => "LiberationSerif-Italic",
            _ => "LiberationSerif-Regular",
        });

    public byte[]? GetFont(string faceName)
    {
        using var s = typeof(EmbeddedFontResolver).Assembly.GetManifestResourceStream($"Fonts.{faceName}.ttf")
            ?? throw new InvalidOperationException($"font {faceName} is not embedded");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
