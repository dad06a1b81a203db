namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// Hints against formal pledges (ADR 0015): shown beside a pledge, never blocking.
/// The similarity hints are decided by PostgreSQL's pg_trgm; the "nothing checkable" hint by the lists
/// below, which the hint query passes to SQL as parameters (one home for the rule, evaluated in one place).
/// </summary>
public enum PledgeHint
{
    /// <summary>Nearly the same text as one of the same member's pledges of an earlier year.</summary>
    SameAsEarlierYear = 1,
    /// <summary>Nearly the same text as another member's pledge in the same branch and year.</summary>
    SameAsOtherMember = 2,
    /// <summary>No quantity, frequency or time in the text, and generic wording (or too short).</summary>
    NothingCheckable = 3,
}

public static class PledgeHints
{
    /// <summary>Default pg_trgm similarity from which two pledge texts count as near-duplicates (configuration: Hints:SimilarityThreshold).</summary>
    public const double DefaultSimilarity = 0.75;

    /// <summary>Content with fewer words than this and no measure is flagged even without a generic phrase.</summary>
    public const int MinWords = 5;

    /// <summary>
    /// Generic phrases of formal pledges ("chung chung, hình thức"), lower case, punctuation replaced by one space
    /// (the query compares the text the same way). Short on purpose: a phrase belongs here only when a pledge
    /// built on it says nothing a branch could check at the year-end review.
    /// </summary>
    public static readonly string[] GenericPhrases =
    [
        "thực hiện tốt", "hoàn thành tốt", "nâng cao ý thức", "nâng cao tinh thần", "nâng cao trách nhiệm",
        "nâng cao chất lượng", "tu dưỡng rèn luyện", "rèn luyện đạo đức", "học tập và làm theo",
        "làm theo tấm gương", "giữ gìn phẩm chất", "phát huy vai trò", "chấp hành nghiêm", "gương mẫu",
        "tích cực tham gia",
    ];

    /// <summary>
    /// Words that make a pledge checkable: a frequency, a count or a period ("mỗi tuần", "2 buổi", "trong quý II").
    /// Any digit counts as well. Matched as whole words.
    /// </summary>
    public static readonly string[] MeasureWords =
    [
        "mỗi", "hằng", "hàng tuần", "hàng tháng", "hàng quý", "hàng năm", "lần", "buổi", "đợt", "tuần", "tháng",
        "quý", "kg", "km", "mét", "tấn", "bài", "hồ sơ", "chủ nhật",
    ];

    public static string Label(this PledgeHint h) => h switch
    {
        PledgeHint.SameAsEarlierYear => "Gần trùng việc làm theo năm trước",
        PledgeHint.SameAsOtherMember => "Gần trùng việc làm theo của đảng viên khác trong chi bộ",
        PledgeHint.NothingCheckable => "Chưa có nội dung kiểm đếm được",
        _ => h.ToString(),
    };

    /// <summary>The few words a grid row shows (its "Gợi ý" link leads to the legend's <see cref="Label"/> and <see cref="Advice"/>).</summary>
    public static string ShortLabel(this PledgeHint h) => h switch
    {
        PledgeHint.SameAsEarlierYear => "Trùng năm trước",
        PledgeHint.SameAsOtherMember => "Trùng người khác",
        PledgeHint.NothingCheckable => "Chưa kiểm đếm được",
        _ => h.ToString(),
    };

    public static string Advice(this PledgeHint h) => h switch
    {
        PledgeHint.SameAsEarlierYear => "Nội dung gần như giống việc làm theo chính đảng viên này đã đăng ký ở một năm trước đó. Nên đăng ký việc mới hoặc nâng mức phấn đấu.",
        PledgeHint.SameAsOtherMember => "Nội dung gần như giống việc làm theo của một đảng viên khác trong chi bộ, cùng năm kế hoạch. Nên gắn với nhiệm vụ, vị trí của từng người.",
        PledgeHint.NothingCheckable => "Chưa thấy việc làm cụ thể, số lượng hoặc thời gian (ví dụ: “mỗi tháng 2 buổi”, “vận động 10 hộ”). Cuối năm khó đánh giá hoàn thành hay chưa.",
        _ => "",
    };
}
