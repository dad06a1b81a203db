using System.Globalization;

namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// Text that shows nothing: empty, spaces, or only characters a reader cannot see — zero-width spaces and joiners
/// (U+200B, U+200C, U+200D), the byte-order mark U+FEFF, the word joiner U+2060 and other format characters, control
/// characters, and combining marks with no letter to sit on (a lone U+0301). Such text counts as empty wherever text is
/// required (forms through <c>Infrastructure.BlankTextBinder</c>, the import files' cells) and as an empty search.
/// Text with one visible character is kept exactly as typed: nothing is stripped from inside real text.
/// </summary>
public static class BlankText
{
    public static bool IsBlank(string? text)
    {
        if (string.IsNullOrEmpty(text)) return true;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) continue;
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Format:
                case UnicodeCategory.Control:
                case UnicodeCategory.NonSpacingMark:
                case UnicodeCategory.EnclosingMark:
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>"" for blank text, else the text unchanged.</summary>
    public static string OrEmpty(string text) => IsBlank(text) ? "" : text;
}
