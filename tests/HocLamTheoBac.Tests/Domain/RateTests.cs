using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Tests.Domain;

public sealed class RateTests
{
    [Theory]
    [InlineData(1223, 1250, "97,8\u00A0%")]
    [InlineData(1957, 2000, "97,9\u00A0%")]
    [InlineData(1001762, 1024574, "97,8\u00A0%")]
    [InlineData(5, 5, "100,0\u00A0%")]
    [InlineData(0, 7, "0,0\u00A0%")]
    [InlineData(1, 3, "33,3\u00A0%")]
    [InlineData(2, 3, "66,7\u00A0%")]
    [InlineData(0, 0, "—")]
    public void A_rate_prints_one_decimal_rounded_half_up_with_a_comma_and_a_non_breaking_space(long done, long of, string expected) =>
        Assert.Equal(expected, new Rate(done, of).ToString());

    [Fact]
    public void A_rate_shows_its_fraction_with_Vietnamese_thousands() =>
        Assert.Equal("97,8\u00A0% (1.001.762/1.024.574)", new Rate(1001762, 1024574).WithFraction());

    [Fact]
    public void Nothing_registered_prints_a_dash_even_with_the_fraction()
    {
        Assert.Equal("—", new Rate(0, 0).WithFraction());
        Assert.Null(new Rate(0, 0).Percent);
    }

    [Fact]
    public void The_fraction_for_spreadsheets_is_the_rounded_percentage() =>
        Assert.Equal(0.978m, new Rate(1223, 1250).Fraction);
}
