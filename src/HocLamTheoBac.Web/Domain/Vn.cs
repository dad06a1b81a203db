using System.Globalization;

namespace HocLamTheoBac.Web.Domain;

/// <summary>Numbers and dates as Vietnamese readers write them: 1.024.574; 15/12/2025; times in Vietnam time (UTC+7).</summary>
public static class Vn
{
    private static readonly CultureInfo C = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>1.024.574</summary>
    public static string Number(long n) => n.ToString("#,##0", C);

    /// <summary>The decimals an indicator's value may carry: <see cref="Decimal"/> shows no more, and the form takes no more.</summary>
    public const int Decimals = 2;

    /// <summary>1.147 or 12,5 (up to <see cref="Decimals"/> decimals, none when whole): an indicator's value.</summary>
    public static string Decimal(decimal d) => d.ToString("#,##0.##", C);

    /// <summary>15/12/2025 (empty for no date).</summary>
    public static string Date(DateOnly? d) => VietnameseDates.Show(d);

    /// <summary>15/12/2025 14:30, the instant in Vietnam time.</summary>
    public static string Date(DateTimeOffset d) => d.ToOffset(VietnamCalendar.Offset).ToString("dd/MM/yyyy HH:mm", C);
}
