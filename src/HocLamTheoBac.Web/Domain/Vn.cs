using System.Globalization;

namespace HocLamTheoBac.Web.Domain;

/// <summary>Numbers and dates as Vietnamese readers write them: 1.024.574; 15/12/2025; times in Vietnam time (UTC+7).</summary>
public static class Vn
{
    private static readonly CultureInfo C = CultureInfo.GetCultureInfo("vi-VN");
    public static string N(long n) => n.ToString("#,##0", C);
    public static string D(DateOnly? d) => VietnameseDates.Show(d);
    public static string D(DateTimeOffset d) => d.ToOffset(TimeSpan.FromHours(7)).ToString("dd/MM/yyyy HH:mm", C);
}
