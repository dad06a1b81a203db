namespace HocLamTheoBac.Web.Domain;

/// <summary>Whether a unit meets the quota of models and exemplars that applies to it for a year.</summary>
public static class QuotaRules
{
    /// <summary>A model counts towards the quota while it is not deleted and not marked "not achieved".</summary>
    public static bool Counts(ModelStatus status) => status != ModelStatus.NotAchieved;

    /// <summary>Short when a quota applies and either count is below its minimum. No quota: never short.</summary>
    public static bool IsShort(int collective, int exemplar, int? minCollective, int? minExemplar) =>
        (minCollective is int c && collective < c) || (minExemplar is int e && exemplar < e);

    public static int Missing(int registered, int? minimum) => minimum is int m && registered < m ? m - registered : 0;
}

public static class ModelText
{
    public static string Label(this ModelKind k) => k switch
    {
        ModelKind.Collective => "Mô hình (tập thể)",
        ModelKind.Exemplar => "Điển hình (cá nhân)",
        _ => k.ToString(),
    };

    public static string Label(this ModelStatus s) => s switch
    {
        ModelStatus.Registered => "Đã đăng ký",
        ModelStatus.Building => "Đang xây dựng",
        ModelStatus.Recognised => "Đã được công nhận",
        ModelStatus.NotAchieved => "Không đạt",
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
