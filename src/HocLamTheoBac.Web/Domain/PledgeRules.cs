namespace HocLamTheoBac.Web.Domain;

/// <summary>What one person is, relative to one pledge. A secretary's own pledge makes them Owner and Secretary.</summary>
[Flags]
public enum PledgeRole
{
    None = 0,
    /// <summary>The member who made the pledge.</summary>
    Owner = 1,
    /// <summary>Secretary of the branch the pledge was registered in (Pledge.BranchId).</summary>
    Secretary = 2,
    /// <summary>Staff or admin of an ancestor, or the member's new branch after a transfer: read only.</summary>
    Reader = 4,
}

public enum PledgeAction { Submit, Approve, Return, Start, ReportDone, Verify, MarkNotDone, Edit, ConfirmAtMeeting, Reopen, AttachEvidence, RemoveEvidence }

public enum DeadlineState { None, DueSoon, Overdue }

/// <summary>What the note posted with an action is: none, a reason (required), or a note on the result (optional).</summary>
public enum PledgeNote { None, Reason, Result }

/// <summary>
/// The life cycle of a pledge: draft → submitted → approved / returned → in progress → reported done → done / not done.
/// Pure rules: who may make which transition from which status. Pages ask here before they change anything.
/// </summary>
public static class PledgeRules
{
    public const int DueSoonDays = 14;

    /// <param name="Confirm">The page asks "are you sure?" before the action.</param>
    private sealed record Rule(PledgeRole Who, PledgeStatus[] From, PledgeStatus? To, PledgeNote Note = PledgeNote.None, bool Confirm = true);

    /// <summary>Declared before <see cref="Rules"/>: static fields are initialised in order.</summary>
    private static readonly PledgeStatus[] BeforeVerification = Enum.GetValues<PledgeStatus>().Where(s => !PledgeSets.Final.Contains(s)).ToArray();

    private static readonly Dictionary<PledgeAction, Rule> Rules = new()
    {
        [PledgeAction.Submit] = new(PledgeRole.Owner, [PledgeStatus.Draft, PledgeStatus.Returned], PledgeStatus.Submitted, Confirm: false),
        [PledgeAction.Approve] = new(PledgeRole.Secretary, [PledgeStatus.Draft, PledgeStatus.Submitted, PledgeStatus.Returned], PledgeStatus.Approved),
        [PledgeAction.Return] = new(PledgeRole.Secretary, [PledgeStatus.Submitted, PledgeStatus.Approved], PledgeStatus.Returned, PledgeNote.Reason),
        [PledgeAction.Start] = new(PledgeRole.Owner | PledgeRole.Secretary, [PledgeStatus.Approved], PledgeStatus.InProgress, Confirm: false),
        [PledgeAction.ReportDone] = new(PledgeRole.Owner, [PledgeStatus.Approved, PledgeStatus.InProgress], PledgeStatus.ReportedDone, PledgeNote.Result),
        [PledgeAction.Verify] = new(PledgeRole.Secretary, [PledgeStatus.ReportedDone], PledgeStatus.Done),
        [PledgeAction.MarkNotDone] = new(PledgeRole.Secretary, [PledgeStatus.Approved, PledgeStatus.InProgress, PledgeStatus.ReportedDone], PledgeStatus.NotDone, PledgeNote.Reason),
        [PledgeAction.Edit] = new(PledgeRole.Secretary, [PledgeStatus.Draft, PledgeStatus.Submitted, PledgeStatus.Returned, PledgeStatus.Approved, PledgeStatus.InProgress], null),
        // At the year-end branch meeting the secretary records results for members who never report in the app.
        [PledgeAction.ConfirmAtMeeting] = new(PledgeRole.Secretary, [PledgeStatus.Approved, PledgeStatus.InProgress, PledgeStatus.ReportedDone], PledgeStatus.Done, PledgeNote.Result),
        // The way back from a final status (a mistaken tick): to "reported done" if the member had reported, else "approved".
        [PledgeAction.Reopen] = new(PledgeRole.Secretary, [PledgeStatus.Done, PledgeStatus.NotDone], null, PledgeNote.Reason),
        // Evidence files: attached at any time until the branch judges the pledge (done or not done), removed by the member
        // or the branch secretary until then; frozen afterwards. Limits: EvidenceLimits.
        [PledgeAction.AttachEvidence] = new(PledgeRole.Owner | PledgeRole.Secretary, BeforeVerification, null, Confirm: false),
        [PledgeAction.RemoveEvidence] = new(PledgeRole.Owner | PledgeRole.Secretary, BeforeVerification, null),
    };

    /// <summary>Actions that move a pledge through its life cycle (the buttons of a pledge page); not editing, not evidence.</summary>
    public static bool IsTransition(PledgeAction action) => action is not (PledgeAction.Edit or PledgeAction.AttachEvidence or PledgeAction.RemoveEvidence);

    /// <summary>Prefix of the audit note of a result recorded at the branch meeting.</summary>
    public const string AtMeetingNote = "Xác nhận tại sinh hoạt chi bộ";

    /// <summary>A member edits their own pledge only while it is a draft or was returned.</summary>
    private static readonly PledgeStatus[] OwnerEditable = [PledgeStatus.Draft, PledgeStatus.Returned];

    public static bool NeedsReason(PledgeAction action) => Rules[action].Note == PledgeNote.Reason;

    /// <summary>What the page says when an action that needs a reason comes without one.</summary>
    public const string ReasonRequired = "Vui lòng ghi lý do.";

    /// <summary>The note the action's form offers: a required reason (these actions undo or refuse, shown as such), a result note, or none.</summary>
    public static PledgeNote NoteFor(PledgeAction action) => Rules[action].Note;

    public static bool AsksConfirmation(PledgeAction action) => Rules[action].Confirm;

    /// <summary>The longest note an action takes: a reason goes to <see cref="Pledge.Reason"/>, anything else to the result note.</summary>
    public static int NoteLimit(PledgeAction action) => NeedsReason(action) ? PledgeLimits.Reason : PledgeLimits.EvidenceNote;

    /// <summary>Null when the note fits; otherwise the Vietnamese message.</summary>
    public static string? NoteTooLong(PledgeAction action, string? note) => note?.Length > NoteLimit(action)
        ? PledgeLimits.TooLong(NeedsReason(action) ? PledgeLimits.ReasonMessage : PledgeLimits.EvidenceNoteMessage, NoteLimit(action))
        : null;

    public static PledgeStatus? Target(PledgeAction action) => Rules[action].To;

    /// <summary>Where a transition leads from this pledge (reopening depends on whether the member had reported).</summary>
    public static PledgeStatus TargetFor(Pledge pledge, PledgeAction action) => action == PledgeAction.Reopen
        ? (pledge.ReportedAt is null ? PledgeStatus.Approved : PledgeStatus.ReportedDone)
        : Rules[action].To ?? pledge.Status;

    /// <summary>Null when the deadline lies inside the plan year (or is empty); otherwise why not.</summary>
    public static string? DeadlineRefusal(int year, DateOnly? deadline) =>
        deadline is { } d && d.Year != year ? $"Thời hạn {d.Day:00}/{d.Month:00}/{d.Year} phải nằm trong năm kế hoạch {year} (01/01/{year} – 31/12/{year})." : null;

    /// <summary>
    /// A deadline already past is accepted (secretaries enter pledges late, after the fact), but said: null when the
    /// deadline is empty, today or later; otherwise the note shown with the saved message.
    /// </summary>
    public static string? PastDeadlineNote(DateOnly? deadline, DateOnly today) =>
        deadline is { } d && d < today ? $"Lưu ý: thời hạn {Vn.Date(d)} đã qua (hôm nay là {Vn.Date(today)}); việc làm theo được lưu và hiện là quá hạn nếu chưa hoàn thành." : null;

    /// <summary>The same note for several pledges saved at once (the grid): whose, and which deadline; null when none is past.</summary>
    public static string? PastDeadlinesNote(IEnumerable<(string Who, DateOnly? Deadline)> saved, DateOnly today)
    {
        var late = saved.Where(x => PastDeadlineNote(x.Deadline, today) is not null).Select(x => $"{x.Who} ({Vn.Date(x.Deadline)})").ToList();
        return late.Count == 0 ? null
            : $"Lưu ý: thời hạn đã qua (hôm nay là {Vn.Date(today)}) ở {late.Count} việc làm theo: {string.Join("; ", late)}; các việc này được lưu và hiện là quá hạn nếu chưa hoàn thành.";
    }

    /// <summary>A member registers their own pledges for this year or the next; other years are the branch's to load (imports).</summary>
    public static string? SelfRegistrationYearRefusal(int year, int thisYear) =>
        year == thisYear || year == thisYear + 1 ? null : $"Chỉ tự đăng ký việc làm theo cho năm {thisYear} hoặc {thisYear + 1}; việc làm theo của năm {year} do chi bộ nhập.";

    /// <summary>Null when allowed; otherwise the Vietnamese reason it is refused.</summary>
    public static string? Refusal(PledgeRole who, PledgeAction action, PledgeStatus from, bool yearClosed)
    {
        if (yearClosed) return YearClosure.PledgesReadOnly;
        var (byRole, fromOk) = Check(who, action, from);
        if (!byRole) return $"Bạn không có quyền {action.Label().ToLowerInvariant()} việc làm theo này.";
        if (!fromOk) return $"Không thể {action.Label().ToLowerInvariant()} khi việc làm theo đang ở trạng thái “{from.Label()}”.";
        return null;
    }

    /// <summary>The same rule as <see cref="Refusal"/>, without writing the reason (the grid asks it of every pledge it lists).</summary>
    public static bool Allows(PledgeRole who, PledgeAction action, PledgeStatus from, bool yearClosed) =>
        !yearClosed && Check(who, action, from) is (true, true);

    /// <summary>Whether the role may take the action, and whether the status allows it.</summary>
    private static (bool ByRole, bool FromOk) Check(PledgeRole who, PledgeAction action, PledgeStatus from)
    {
        var rule = Rules[action];
        var byRole = (who & rule.Who) != 0;
        var fromOk = rule.From.Contains(from);
        if (action == PledgeAction.Edit && !byRole && who.HasFlag(PledgeRole.Owner))
        {
            byRole = true;
            fromOk = OwnerEditable.Contains(from);
        }
        return (byRole, fromOk);
    }

    /// <summary>Applies an allowed transition; throws when the rules refuse it (callers check first).</summary>
    public static void Apply(Pledge pledge, PledgeRole who, PledgeAction action, string? reasonOrNote, bool yearClosed, DateTimeOffset now)
    {
        if (Refusal(who, action, pledge.Status, yearClosed) is { } refusal) throw new InvalidOperationException(refusal);
        var text = string.IsNullOrWhiteSpace(reasonOrNote) ? null : reasonOrNote.Trim();
        if (NeedsReason(action) && text is null) throw new InvalidOperationException(ReasonRequired);
        pledge.Status = TargetFor(pledge, action);
        switch (action)
        {
            case PledgeAction.ConfirmAtMeeting:
                pledge.VerifiedAt = now;
                pledge.Reason = null;
                if (text is not null) pledge.EvidenceNote = text;
                pledge.NoteForAudit(text is null ? AtMeetingNote : $"{AtMeetingNote}: {text}");
                return;
            case PledgeAction.Reopen:
                pledge.VerifiedAt = null;
                pledge.Reason = null;
                pledge.NoteForAudit($"Mở lại: {text}");
                return;
            case PledgeAction.Return:
            case PledgeAction.MarkNotDone:
                pledge.Reason = text;
                if (action == PledgeAction.MarkNotDone) pledge.VerifiedAt = now;
                break;
            case PledgeAction.ReportDone:
                pledge.EvidenceNote = text ?? pledge.EvidenceNote;
                pledge.ReportedAt = now;
                break;
            case PledgeAction.Verify:
                pledge.VerifiedAt = now;
                break;
            case PledgeAction.Approve:
            case PledgeAction.Submit:
                pledge.Reason = null;
                break;
        }
        if (text is not null) pledge.NoteForAudit(text);
    }

    /// <summary>Overdue: still open (<see cref="PledgeSets.Open"/>) and the deadline has passed; due soon: open, deadline within
    /// 14 days. None in a closed year: nothing can be done about it any more (the walk of session 21: a closed grid still
    /// listed "Sắp đến hạn").</summary>
    public static DeadlineState Deadline(PledgeStatus status, DateOnly? deadline, DateOnly today, bool yearClosed)
    {
        if (yearClosed || deadline is not { } d || !PledgeSets.IsOpen(status)) return DeadlineState.None;
        if (d < today) return DeadlineState.Overdue;
        return d <= today.AddDays(DueSoonDays) ? DeadlineState.DueSoon : DeadlineState.None;
    }

    /// <summary>
    /// Why a status cannot be loaded from a file (null: it can). A past year is over: every pledge must have been judged
    /// (done or not done). In the current year any status may be loaded, but those that need a reason when set by hand
    /// (returned, not done) need the "Lý do" column, as on the pages.
    /// </summary>
    public static string? ImportRefusal(PledgeStatus status, int year, int currentYear, bool hasReason)
    {
        if (year < currentYear && !PledgeSets.Final.Contains(status))
            return $"năm {year} đã qua: trạng thái phải là “{PledgeStatus.Done.Label()}” hoặc “{PledgeStatus.NotDone.Label()}”, không phải “{status.Label()}”";
        var needsReason = status switch { PledgeStatus.Returned => NeedsReason(PledgeAction.Return), PledgeStatus.NotDone => NeedsReason(PledgeAction.MarkNotDone), _ => false };
        if (needsReason && !hasReason && year >= currentYear)
            return $"trạng thái “{status.Label()}” cần ghi lý do (cột “Lý do”)";
        return null;
    }

    public static string Label(this PledgeStatus s) => s switch
    {
        PledgeStatus.Draft => "Nháp",
        PledgeStatus.Submitted => "Chờ duyệt",
        PledgeStatus.Approved => "Đã duyệt",
        PledgeStatus.Returned => "Trả lại",
        PledgeStatus.InProgress => "Đang thực hiện",
        // A state, not the member's command "Báo cáo hoàn thành" (PledgeAction.ReportDone): done by the member, not yet by the branch.
        PledgeStatus.ReportedDone => "Đã báo cáo hoàn thành – chờ xác nhận",
        PledgeStatus.Done => "Hoàn thành",
        PledgeStatus.NotDone => "Không hoàn thành",
        _ => s.ToString(),
    };

    public static string Badge(this PledgeStatus s) => s switch
    {
        PledgeStatus.Draft => "text-bg-secondary",
        PledgeStatus.Submitted => "text-bg-info",
        PledgeStatus.Approved => "text-bg-primary",
        PledgeStatus.Returned => "text-bg-warning",
        PledgeStatus.InProgress => "text-bg-primary",
        PledgeStatus.ReportedDone => "text-bg-info",
        PledgeStatus.Done => "text-bg-success",
        PledgeStatus.NotDone => "text-bg-danger",
        _ => "text-bg-light",
    };

    public static string Label(this PledgeAction a) => a switch
    {
        PledgeAction.Submit => "Gửi duyệt",
        PledgeAction.Approve => "Duyệt",
        PledgeAction.Return => "Trả lại",
        PledgeAction.Start => "Bắt đầu thực hiện",
        PledgeAction.ReportDone => "Báo cáo hoàn thành",
        PledgeAction.Verify => "Xác nhận hoàn thành",
        PledgeAction.MarkNotDone => "Đánh giá không hoàn thành",
        PledgeAction.Edit => "Sửa",
        PledgeAction.ConfirmAtMeeting => "Xác nhận hoàn thành tại sinh hoạt chi bộ",
        PledgeAction.Reopen => "Mở lại",
        PledgeAction.AttachEvidence => "Gửi minh chứng",
        PledgeAction.RemoveEvidence => "Gỡ minh chứng",
        _ => a.ToString(),
    };

    /// <summary>Other names a spreadsheet may hold for a status: the label before November 2026, and the label without its dash part.</summary>
    private static readonly Dictionary<string, PledgeStatus> FormerLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Báo cáo hoàn thành"] = PledgeStatus.ReportedDone,
        ["Đã báo cáo hoàn thành"] = PledgeStatus.ReportedDone,
    };

    /// <summary>
    /// Parses a status as people write it in a spreadsheet: the Vietnamese label (a hyphen for its dash will do), a former
    /// label, or the code name, ignoring case; blank is a draft.
    /// </summary>
    public static PledgeStatus? ParseStatus(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return PledgeStatus.Draft;
        static string Plain(string x) => x.Trim().Normalize(System.Text.NormalizationForm.FormC).Replace('–', '-').Replace('—', '-');
        var t = Plain(text);
        foreach (var s in Enum.GetValues<PledgeStatus>())
            if (string.Equals(Plain(s.Label()), t, StringComparison.OrdinalIgnoreCase) || string.Equals(s.ToString(), t, StringComparison.OrdinalIgnoreCase))
                return s;
        return FormerLabels.TryGetValue(t, out var former) ? former : null;
    }
}

/// <summary>The minimum contents of a unit's collective plan (kế hoạch của tập thể).</summary>
public static class CollectivePlanRules
{
    public static string Label(this CollectiveCategory c) => c switch
    {
        CollectiveCategory.Study => "Học tập",
        CollectiveCategory.Follow => "Làm theo",
        CollectiveCategory.Example => "Nêu gương",
        CollectiveCategory.Creative => "Nhiệm vụ mới, sáng tạo",
        CollectiveCategory.PressingProblem => "Vấn đề bức xúc, nổi cộm",
        _ => c.ToString(),
    };

    /// <summary>What the plan still lacks (empty when complete): học tập, làm theo, nêu gương; 1–2 creative tasks; 1–2 pressing problems.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<CollectiveCategory> items)
    {
        var counts = items.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        int N(CollectiveCategory c) => counts.GetValueOrDefault(c);
        var missing = new List<string>();
        if (N(CollectiveCategory.Study) == 0) missing.Add("Chưa có nội dung học tập.");
        if (N(CollectiveCategory.Follow) == 0) missing.Add("Chưa có nội dung làm theo.");
        if (N(CollectiveCategory.Example) == 0) missing.Add("Chưa có nội dung nêu gương.");
        if (N(CollectiveCategory.Creative) == 0) missing.Add("Chưa có nhiệm vụ mới, sáng tạo (cần 1–2).");
        if (N(CollectiveCategory.Creative) > 2) missing.Add("Nhiệm vụ mới, sáng tạo chỉ nên có 1–2 (hiện có " + N(CollectiveCategory.Creative) + ").");
        if (N(CollectiveCategory.PressingProblem) == 0) missing.Add("Chưa có vấn đề bức xúc, nổi cộm cần giải quyết (cần 1–2).");
        if (N(CollectiveCategory.PressingProblem) > 2) missing.Add("Vấn đề bức xúc, nổi cộm chỉ nên có 1–2 (hiện có " + N(CollectiveCategory.PressingProblem) + ").");
        return missing;
    }
}
