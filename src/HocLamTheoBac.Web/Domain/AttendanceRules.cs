namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// Attendance rate of a study session (see docs/glossary.md, "tỷ lệ tham dự"):
/// expected = members who belonged to a branch of the session's unit (or its subtree) on the session date
/// (their branch period started on or before that date and had not ended by it), the subtree being the tree of that
/// date (the units' placements covering it; ADR 0028), so a later restructuring leaves a past session as it was;
/// rate = present / (expected − excused). Excused absences leave the denominator; an expected member with
/// no mark counts as absent; marks for members not expected that day are ignored.
/// A unit's rate for a year pools its sessions: Σ present / Σ (expected − excused).
/// </summary>
public static class AttendanceRules
{
    public readonly record struct Period(DateOnly ValidFrom, DateOnly? ValidTo);

    public readonly record struct Tally(int Expected, int Present, int Excused, int Absent)
    {
        public int Denominator => Expected - Excused;

        /// <summary>Fraction 0..1, or null when nobody was expected (or all were excused).</summary>
        public decimal? Rate => Denominator > 0 ? (decimal)Present / Denominator : null;

        public static Tally operator +(Tally a, Tally b) =>
            new(a.Expected + b.Expected, a.Present + b.Present, a.Excused + b.Excused, a.Absent + b.Absent);
    }

    /// <summary>Belongs on <paramref name="on"/>: joined on or before that day, and not yet left (ValidTo is the first day away).</summary>
    public static bool IsExpected(DateOnly on, Period p) => Membership.Covers(p.ValidFrom, p.ValidTo, on);

    public static Tally Count(IEnumerable<int> expectedMemberIds, IReadOnlyDictionary<int, AttendanceStatus> marks)
    {
        var tally = default(Tally);
        foreach (var id in expectedMemberIds.Distinct()) tally += One(marks.TryGetValue(id, out var s) ? s : null);
        return tally;
    }

    /// <summary>One member expected at one session, marked <paramref name="mark"/>: no mark counts as absent. A session's
    /// tally is the sum over its expected members (<see cref="Count"/>), a member's year the sum over their sessions.</summary>
    public static Tally One(AttendanceStatus? mark) => mark switch
    {
        AttendanceStatus.Present => new(1, 1, 0, 0),
        AttendanceStatus.Excused => new(1, 0, 1, 0),
        _ => new(1, 0, 0, 1),
    };

    /// <summary>"84,5 %": one decimal, comma, a space before the sign; "—" when there is no rate.</summary>
    public static string Format(decimal? rate) =>
        rate is decimal r ? Math.Round(r * 100, 1, MidpointRounding.AwayFromZero).ToString("0.0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN")) + " %" : "—";
}
