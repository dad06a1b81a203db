using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Tests.Domain;

public sealed class VietnameseDatesAndContactsTests
{
    [Theory]
    [InlineData("15/12/2025", 2025, 12, 15)]
    [InlineData("1/2/2025", 2025, 2, 1)]
    [InlineData(" 05/06/2024 ", 2024, 6, 5)]
    [InlineData("15.12.2025", 2025, 12, 15)]
    [InlineData("15-12-2025", 2025, 12, 15)]
    [InlineData("15122025", 2025, 12, 15)]
    [InlineData("2025-12-15", 2025, 12, 15)]
    public void Dates_are_read_day_first(string text, int y, int m, int d)
    {
        Assert.True(VietnameseDates.TryParse(text, out var date));
        Assert.Equal(new DateOnly(y, m, d), date);
    }

    [Theory]
    [InlineData("12/31/2025")]
    [InlineData("31/02/2025")]
    [InlineData("hôm qua")]
    [InlineData("31/12/9999")]
    [InlineData("01/01/0001")]
    [InlineData("0001-01-01")]
    [InlineData("2025")]
    [InlineData("15/12/25")]
    public void Text_that_is_not_a_day_is_refused(string text) => Assert.False(VietnameseDates.TryParse(text, out _));

    [Fact]
    public void Empty_is_no_date_and_dates_show_as_dd_mm_yyyy()
    {
        Assert.True(VietnameseDates.TryParse("  ", out var none));
        Assert.Null(none);
        Assert.Equal("05/01/2026", VietnameseDates.Show(new DateOnly(2026, 1, 5)));
        Assert.Equal("Hạn: “12/31/2025” không phải một ngày hợp lệ; nhập theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 15/12/2025.", VietnameseDates.Invalid("Hạn", "12/31/2025"));
    }

    /// <summary>The walk of session 18: "30/12/9999" is a day of the right shape, yet it was told "không đúng dạng ngày"; the
    /// message now names the year and the range, and a day of the wrong shape still asks for dd/mm/yyyy.</summary>
    [Theory]
    [InlineData("30/12/9999", 9999)]
    [InlineData("01/01/1899", 1899)]
    [InlineData("2101-01-01", 2101)]
    public void A_date_outside_the_years_names_the_year_and_the_range(string text, int year)
    {
        Assert.False(VietnameseDates.TryParse(text, out _));
        Assert.Equal($"Thời hạn: “{text}” có năm {year} nằm ngoài khoảng cho phép (năm phải từ 1900 đến 2100).", VietnameseDates.Invalid("Thời hạn", text));
        Assert.Equal($"“{text}” có năm {year} nằm ngoài khoảng cho phép (năm phải từ 1900 đến 2100)", VietnameseDates.Unreadable(text));
        Assert.Equal("“31/02/2026” không đúng dạng ngày dd/mm/yyyy", VietnameseDates.Unreadable("31/02/2026"));
    }

    /// <summary>An import's cell as a reader sees it (BlankText.Tidy): NFC, no invisible characters, one space per run, line
    /// breaks kept; an already tidy cell comes back as the same string.</summary>
    [Theory]
    [InlineData("  Trồng  cây\txanh ", "Trồng cây xanh")]
    [InlineData("Kèm\u200B cặp\uFEFF", "Kèm cặp")]
    [InlineData("Đọc\u200Bsách", "Đọcsách")]
    [InlineData("Một  \r\n  hai", "Một\r\nhai")]
    [InlineData("\u200B \u00A0", "")]
    [InlineData("Tre\u0300", "Trè")]
    [InlineData("1.024", "1.024")]
    public void An_import_cell_is_read_as_a_reader_sees_it(string cell, string tidy) => Assert.Equal(tidy, BlankText.Tidy(cell));

    [Fact]
    public void A_tidy_cell_is_not_copied()
    {
        var cell = "Nguyễn Văn A";
        Assert.Same(cell, BlankText.Tidy(cell));
    }

    [Theory]
    [InlineData("0912345678", "0912345678")]
    [InlineData("0912 345 678", "0912345678")]
    [InlineData("091.234.5678", "0912345678")]
    [InlineData("+84 912 345 678", "+84912345678")]
    [InlineData("+84912345678", "+84912345678")]
    public void Vietnamese_phone_numbers_are_accepted_without_separators(string text, string normal) => Assert.Equal(normal, ContactRules.NormalPhone(text));

    [Theory]
    [InlineData("0900")]
    [InlineData("912345678")]
    [InlineData("09123456789")]
    [InlineData("+840912345678")]
    [InlineData("+1 202 555 0100")]
    [InlineData("0912abc678")]
    public void Other_phone_numbers_are_refused_with_a_vietnamese_message(string text)
    {
        Assert.Null(ContactRules.NormalPhone(text));
        Assert.StartsWith($"Số điện thoại “{text}” không hợp lệ: cần 10 chữ số bắt đầu bằng 0", ContactRules.PhoneProblem(text));
    }

    [Theory]
    [InlineData("hoa@")]
    [InlineData("hoa@abc")]
    [InlineData("hoa abc@x.vn")]
    [InlineData("@x.vn")]
    [InlineData("hoa@@x.vn")]
    [InlineData("hoa@x.v")]
    [InlineData("hoa..mai@x.vn")]
    public void Addresses_that_cannot_receive_mail_are_refused(string text)
    {
        Assert.False(ContactRules.IsEmail(text));
        Assert.Equal($"Email “{text}” không hợp lệ: cần dạng ten@ten-mien.vn.", ContactRules.EmailProblem(text));
    }

    [Theory]
    [InlineData("hoa@phuong.gov.vn")]
    [InlineData("nguyen.van.an+dang@gmail.com")]
    [InlineData("admin@hlb.local")]
    public void Real_addresses_are_accepted(string text) => Assert.Null(ContactRules.EmailProblem(text));
}
