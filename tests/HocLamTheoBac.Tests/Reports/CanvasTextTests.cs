using System.Text;
using HocLamTheoBac.Web.Reports.Pdf;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>The PDF draws every text in NFC; the shortcut that skips ICU for precomposed text must give the same string.</summary>
public sealed class CanvasTextTests
{
    [Fact]
    public void Every_character_the_shortcut_takes_as_precomposed_is_already_NFC()
    {
        var taken = Enumerable.Range(0, 0x300).Concat(Enumerable.Range(0x1E00, 0x100))
            .Select(c => ((char)c).ToString())
            .Where(s => !char.IsSurrogate(s[0]))
            .ToList();
        Assert.All(taken, s => Assert.True(Canvas.IsPrecomposed(s)));
        var changed = taken.Where(s => s.Normalize(NormalizationForm.FormC) != s).ToList();
        Assert.Empty(changed);
    }

    [Theory]
    [InlineData("Nguye\u0302\u0303n Va\u0306n Ho\u0300a", "Nguyễn Văn Hòa")] // decomposed marks
    [InlineData("Chi bo\u0323\u0302 so\u0302\u0301 1", "Chi bộ số 1")]      // two marks in the canonical order
    [InlineData("Đảng bộ xã Tân Lập", "Đảng bộ xã Tân Lập")]                 // already precomposed
    [InlineData("97,8 %", "97,8 %")]
    public void Nfc_gives_the_precomposed_text_whether_or_not_it_was_precomposed(string input, string expected)
    {
        Assert.Equal(expected, Canvas.Nfc(input));
        Assert.Equal(input.Normalize(NormalizationForm.FormC), Canvas.Nfc(input));
    }

    [Fact]
    public void A_combining_mark_sends_the_text_through_normalisation()
    {
        Assert.False(Canvas.IsPrecomposed("e\u0302"));
        Assert.False(Canvas.IsPrecomposed("ệ\u0301"));
        Assert.True(Canvas.IsPrecomposed("ệ"));
    }
}
