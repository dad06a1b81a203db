using System.Globalization;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;

namespace HocLamTheoBac.Web.Pages.Reports;

/// <summary>
/// The dashboard's second chart: a unit's rates for the last five years, from the same roll-up as the figures above it
/// (the year shown) and its totals-only form for the years before (<see cref="Rollup.TotalsAsync"/>; no count of its own). Drawn as an SVG on the server, so it
/// needs no script and prints; the table beside it is the text alternative.
/// </summary>
public sealed class YearTrend
{
    public const int Years = 5;

    public sealed record Series(string Name, string CssClass, Func<Figures, Rate> Of);

    public static readonly Series[] Shown =
    [
        new("Đảng viên có kế hoạch cá nhân", "trend-plan", f => f.PlanRate),
        new("Việc làm theo hoàn thành", "trend-pledges", f => f.PledgeRate),
        new("Nội dung tập thể hoàn thành", "trend-collective", f => f.CollectiveRate),
    ];

    /// <summary>Rates only in the table (too many bars would not read).</summary>
    public static readonly Series[] TableOnly =
    [
        new("Tham dự học tập chuyên đề", "", f => f.AttendanceRate),
        new("Vấn đề bức xúc đã giải quyết", "", f => f.ProblemRate),
    ];

    public required IReadOnlyList<(int Year, Figures Figures)> Rows { get; init; }

    /// <summary>
    /// The rate as the chart and table show it: null (no bar, "—") for a year with nothing recorded
    /// (<see cref="Figures.HasRecords"/>: its members still count, so the plan rate would read "0,0 %") or a rate of nothing.
    /// </summary>
    public static Rate? Value(Series s, Figures f) => f.HasRecords && s.Of(f).Percent is not null ? s.Of(f) : null;

    public static string Text(Series s, Figures f) => Value(s, f)?.ToString() ?? Rate.None;

    /// <summary>The four years before the one shown, whose totals the dashboard reads with its roll-up (<see cref="DashboardRollups.GetAsync"/>).</summary>
    public static int[] Earlier(int year) => Enumerable.Range(year - Years + 1, Years - 1).ToArray();

    /// <summary>
    /// The five years ending with the one shown: that year's totals from the roll-up the page already computed
    /// (<paramref name="shown"/>, for <paramref name="year"/>), the four before (<see cref="Earlier"/>) from the totals read
    /// with it (<paramref name="totals"/>: totals only, same SQL and rules; <see cref="Rollup.TotalsAsync"/>).
    /// </summary>
    public static YearTrend Of(int year, Figures shown, IReadOnlyDictionary<int, Figures?> totals) =>
        // A year with nothing recorded (null) shows "—" everywhere, as Figures.HasRecords says of its zero figures.
        new() { Rows = [.. Earlier(year).Select(y => (y, totals[y] ?? new Figures())), (year, shown)] };

    // Geometry of the drawing (SVG user units; the SVG scales to its box).
    public const double Width = 640, Height = 280, Left = 44, Right = 8, Top = 12, Bottom = 36;
    public static double PlotWidth => Width - Left - Right;
    public static double PlotHeight => Height - Top - Bottom;
    public double GroupWidth => PlotWidth / Rows.Count;
    public double BarWidth => GroupWidth * 0.8 / Shown.Length;

    public static double Y(decimal percent) => Top + PlotHeight * (double)(100m - percent) / 100.0;
    public double BarX(int yearIndex, int seriesIndex) => Left + GroupWidth * yearIndex + GroupWidth * 0.1 + BarWidth * seriesIndex;
    public double GroupCentre(int yearIndex) => Left + GroupWidth * (yearIndex + 0.5);

    public static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
