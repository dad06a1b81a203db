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

    /// <summary>The walk of session 19: a direction override (U+202E) was drawn as typed and an emoji printed as blank space.</summary>
    [Theory]
    [InlineData("Chi bộ \u202EHoa Sen\u202C", "Chi bộ Hoa Sen")]
    [InlineData("Chi bộ Hoa Sen \U0001F338", "Chi bộ Hoa Sen ")]
    [InlineData("Khu phố \u2764\uFE0F xanh\u200B", "Khu phố \u2764 xanh")]
    [InlineData("Tổ dân phố \u2066số 3\u2069", "Tổ dân phố số 3")]
    public void Direction_controls_zero_width_characters_and_emoji_are_not_drawn(string input, string expected) =>
        Assert.Equal(expected, Canvas.Nfc(input));

    [Fact]
    public async Task A_unit_name_with_a_direction_override_and_an_emoji_prints_its_letters_in_order()
    {
        var f = new HocLamTheoBac.Web.Reports.Figures { Members = 10, MembersWithPlan = 10, PledgesRegistered = 12, PledgesDone = 11 };
        var pdf = ReportDocument.Render(AnnexLayoutTests.Model([new("U1", "Chi bộ \u202Eabc Hoa Sen\u202C \U0001F338", 1, f)], f));
        var text = await PdfText.ExtractAsync(pdf);
        Assert.Contains("Chi bộ abc Hoa Sen", text);
        Assert.False(text.Contains('\u202E'), "the override is printed");   // a char: a culture's comparison ignores format characters
        Assert.DoesNotContain("cba", text);
    }

    [Fact]
    public void A_combining_mark_sends_the_text_through_normalisation()
    {
        Assert.False(Canvas.IsPrecomposed("e\u0302"));
        Assert.False(Canvas.IsPrecomposed("ệ\u0301"));
        Assert.True(Canvas.IsPrecomposed("ệ"));
    }
}
