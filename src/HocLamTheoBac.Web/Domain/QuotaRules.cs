namespace HocLamTheoBac.Web.Domain;

/// <summary>Whether a unit meets the quota of models and exemplars that applies to it for a year.</summary>
public static class QuotaRules
{
    /// <summary>A model counts towards the quota while it is not deleted and not marked "not achieved".</summary>
    public static bool Counts(ExemplaryModelStatus status) => status != ExemplaryModelStatus.NotAchieved;

    /// <summary>Short when a quota applies and either count is below its minimum. No quota: never short.</summary>
    public static bool IsShort(int collective, int exemplar, int? minCollective, int? minExemplar) =>
        (minCollective is int c && collective < c) || (minExemplar is int e && exemplar < e);

    public static int Missing(int registered, int? minimum) => minimum is int m && registered < m ? m - registered : 0;
}

public static class ExemplaryModelText
{
    public static string Label(this ExemplaryModelKind k) => k switch
    {
        ExemplaryModelKind.Collective => "Mô hình (tập thể)",
        ExemplaryModelKind.Exemplar => "Điển hình (cá nhân)",
        _ => k.ToString(),
    };

    public static string Label(this ExemplaryModelStatus s) => s switch
    {
        ExemplaryModelStatus.Registered => "Đã đăng ký",
        ExemplaryModelStatus.Building => "Đang xây dựng",
        ExemplaryModelStatus.Recognised => "Đã được công nhận",
        ExemplaryModelStatus.NotAchieved => "Không đạt",
        _ => s.ToString(),
    };

    public static string Label(this CommendationLevel l) => l switch
    {
        CommendationLevel.Praise => "Biểu dương",
        CommendationLevel.Certificate => "Giấy khen",
        CommendationLevel.Merit => "Bằng khen",
        _ => l.ToString(),
    };

    public static string Label(this SessionFormat f) => f switch
    {
        SessionFormat.InPerson => "Trực tiếp",
        SessionFormat.Online => "Trực tuyến",
        _ => f.ToString(),
    };

    public static string Label(this AttendanceStatus a) => a switch
    {
        AttendanceStatus.Present => "Có mặt",
        AttendanceStatus.Excused => "Vắng có lý do",
        AttendanceStatus.Absent => "Vắng không lý do",
        _ => a.ToString(),
    };

    public static string Label(this ProblemOutcome o) => o switch
    {
        ProblemOutcome.Open => "Đang giải quyết",
        ProblemOutcome.Resolved => "Đã giải quyết",
        ProblemOutcome.Partly => "Giải quyết một phần",
        ProblemOutcome.NotResolved => "Chưa giải quyết được",
        _ => o.ToString(),
    };

    public static string Label(this LeaderTaskStatus s) => s switch
    {
        LeaderTaskStatus.Assigned => "Đang thực hiện",
        LeaderTaskStatus.Done => "Hoàn thành",
        LeaderTaskStatus.NotDone => "Không hoàn thành",
        _ => s.ToString(),
    };
}
