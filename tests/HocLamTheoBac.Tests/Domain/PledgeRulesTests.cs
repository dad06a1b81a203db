using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Tests.Domain;

public sealed class PledgeRulesTests
{
    private static readonly PledgeStatus[] All = Enum.GetValues<PledgeStatus>();

    /// <summary>The whole table: (who, action) → statuses it may start from. Everything else is refused.</summary>
    private static readonly Dictionary<(PledgeRole, PledgeAction), PledgeStatus[]> Allowed = new()
    {
        [(PledgeRole.Owner, PledgeAction.Submit)] = [PledgeStatus.Draft, PledgeStatus.Returned],
        [(PledgeRole.Owner, PledgeAction.Start)] = [PledgeStatus.Approved],
        [(PledgeRole.Owner, PledgeAction.ReportDone)] = [PledgeStatus.Approved, PledgeStatus.InProgress],
        [(PledgeRole.Owner, PledgeAction.Edit)] = [PledgeStatus.Draft, PledgeStatus.Returned],
        [(PledgeRole.Secretary, PledgeAction.Approve)] = [PledgeStatus.Draft, PledgeStatus.Submitted, PledgeStatus.Returned],
        [(PledgeRole.Secretary, PledgeAction.Return)] = [PledgeStatus.Submitted, PledgeStatus.Approved],
        [(PledgeRole.Secretary, PledgeAction.Start)] = [PledgeStatus.Approved],
        [(PledgeRole.Secretary, PledgeAction.Verify)] = [PledgeStatus.ReportedDone],
        [(PledgeRole.Secretary, PledgeAction.MarkNotDone)] = [PledgeStatus.Approved, PledgeStatus.InProgress, PledgeStatus.ReportedDone],
        [(PledgeRole.Secretary, PledgeAction.Edit)] = [PledgeStatus.Draft, PledgeStatus.Submitted, PledgeStatus.Returned, PledgeStatus.Approved, PledgeStatus.InProgress],
        [(PledgeRole.Secretary, PledgeAction.ConfirmAtMeeting)] = [PledgeStatus.Approved, PledgeStatus.InProgress, PledgeStatus.ReportedDone],
        [(PledgeRole.Secretary, PledgeAction.Reopen)] = [PledgeStatus.Done, PledgeStatus.NotDone],
        // Evidence (issue 14): attached and removed by the member or the branch secretary until the pledge is judged, then frozen.
        [(PledgeRole.Owner, PledgeAction.AttachEvidence)] = BeforeVerification,
        [(PledgeRole.Owner, PledgeAction.RemoveEvidence)] = BeforeVerification,
        [(PledgeRole.Secretary, PledgeAction.AttachEvidence)] = BeforeVerification,
        [(PledgeRole.Secretary, PledgeAction.RemoveEvidence)] = BeforeVerification,
    };

    private static PledgeStatus[] BeforeVerification => [PledgeStatus.Draft, PledgeStatus.Submitted, PledgeStatus.Approved, PledgeStatus.Returned, PledgeStatus.InProgress, PledgeStatus.ReportedDone];

    [Theory]
    [InlineData(2026, true)]
    [InlineData(2027, true)]
    [InlineData(2025, false)]
    [InlineData(3000, false)]
    [InlineData(1, false)]
    public void A_member_registers_their_own_pledges_only_for_this_year_or_the_next(int year, bool allowed)
    {
        var refusal = PledgeRules.SelfRegistrationYearRefusal(year, thisYear: 2026);
        Assert.Equal(allowed, refusal is null);
        if (!allowed) Assert.Contains($"năm {year} do chi bộ nhập", refusal);
    }

    [Fact]
    public void Reopening_goes_back_to_reported_done_when_the_member_had_reported_and_to_approved_otherwise()
    {
        var now = DateTimeOffset.UtcNow;
        var reported = new Pledge { Content = "a", Status = PledgeStatus.Done, ReportedAt = now, VerifiedAt = now };
        PledgeRules.Apply(reported, PledgeRole.Secretary, PledgeAction.Reopen, "nhầm", false, now);
        Assert.Equal(PledgeStatus.ReportedDone, reported.Status);
        Assert.Null(reported.VerifiedAt);
        var atMeeting = new Pledge { Content = "b", Status = PledgeStatus.NotDone, Reason = "chưa làm" };
        PledgeRules.Apply(atMeeting, PledgeRole.Secretary, PledgeAction.Reopen, "nhầm", false, now);
        Assert.Equal(PledgeStatus.Approved, atMeeting.Status);
        Assert.Null(atMeeting.Reason);
        Assert.Throws<InvalidOperationException>(() => PledgeRules.Apply(new Pledge { Content = "c", Status = PledgeStatus.Done }, PledgeRole.Secretary, PledgeAction.Reopen, " ", false, now));
        Assert.NotNull(PledgeRules.Refusal(PledgeRole.Secretary, PledgeAction.Reopen, PledgeStatus.Done, yearClosed: true));
    }

    [Theory]
    [InlineData(2026, "2026-01-01", true)]
    [InlineData(2026, "2026-12-31", true)]
    [InlineData(2026, "2025-12-31", false)]
    [InlineData(2026, "2031-06-01", false)]
    public void A_deadline_must_lie_inside_the_plan_year(int year, string deadline, bool ok) =>
        Assert.Equal(ok, PledgeRules.DeadlineRefusal(year, DateOnly.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture)) is null);

    public static IEnumerable<object[]> Every() =>
        from who in new[] { PledgeRole.Owner, PledgeRole.Secretary, PledgeRole.Reader }
        from action in Enum.GetValues<PledgeAction>()
        from status in All
        select new object[] { who, action, status };

    [Theory]
    [MemberData(nameof(Every))]
    public void Each_role_may_make_exactly_the_transitions_of_the_table_and_is_refused_the_rest_in_Vietnamese(PledgeRole who, PledgeAction action, PledgeStatus from)
    {
        var expected = Allowed.TryGetValue((who, action), out var froms) && froms.Contains(from);
        var refusal = PledgeRules.Refusal(who, action, from, yearClosed: false);
        Assert.Equal(expected, refusal is null);
        if (refusal is not null) Assert.Matches("^(Bạn không có quyền|Không thể) ", refusal);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Nothing_is_allowed_once_the_year_is_closed(PledgeRole who, PledgeAction action, PledgeStatus from)
    {
        Assert.Equal("Năm kế hoạch đã khóa sổ: việc làm theo chỉ được xem.", PledgeRules.Refusal(who | PledgeRole.Secretary | PledgeRole.Owner, action, from, yearClosed: true));
    }

    [Fact]
    public void A_secretary_who_made_the_pledge_may_both_report_it_done_and_verify_it()
    {
        var both = PledgeRole.Owner | PledgeRole.Secretary;
        Assert.True(PledgeRules.Allows(both, PledgeAction.ReportDone, PledgeStatus.InProgress, false));
        Assert.True(PledgeRules.Allows(both, PledgeAction.Verify, PledgeStatus.ReportedDone, false));
    }

    [Fact]
    public void Returning_and_marking_not_done_need_a_reason_which_is_kept_on_the_pledge()
    {
        var p = new Pledge { Content = "Giữ gìn vệ sinh", Status = PledgeStatus.Submitted };
        Assert.Throws<InvalidOperationException>(() => PledgeRules.Apply(p, PledgeRole.Secretary, PledgeAction.Return, "  ", false, TestClock.Calendar.Now));
        PledgeRules.Apply(p, PledgeRole.Secretary, PledgeAction.Return, "Chưa cụ thể", false, TestClock.Calendar.Now);
        Assert.Equal(PledgeStatus.Returned, p.Status);
        Assert.Equal("Chưa cụ thể", p.Reason);
    }

    [Fact]
    public void Reporting_done_keeps_the_members_note_and_the_time()
    {
        var p = new Pledge { Content = "Trồng cây", Status = PledgeStatus.Approved };
        var at = new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
        PledgeRules.Apply(p, PledgeRole.Owner, PledgeAction.ReportDone, "Đã trồng 20 cây", false, at);
        Assert.Equal((PledgeStatus.ReportedDone, "Đã trồng 20 cây", at), (p.Status, p.EvidenceNote, p.ReportedAt!.Value));
    }

    [Fact]
    public void Open_pledges_past_their_deadline_are_overdue_and_those_within_two_weeks_are_due_soon()
    {
        var today = new DateOnly(2026, 6, 1);
        Assert.Equal(DeadlineState.Overdue, PledgeRules.Deadline(PledgeStatus.InProgress, today.AddDays(-1), today, false));
        Assert.Equal(DeadlineState.DueSoon, PledgeRules.Deadline(PledgeStatus.Approved, today.AddDays(14), today, false));
        Assert.Equal(DeadlineState.None, PledgeRules.Deadline(PledgeStatus.Approved, today.AddDays(15), today, false));
        Assert.Equal(DeadlineState.None, PledgeRules.Deadline(PledgeStatus.Done, today.AddDays(-30), today, false));
        Assert.Equal(DeadlineState.None, PledgeRules.Deadline(PledgeStatus.ReportedDone, today.AddDays(-30), today, false));
        Assert.Equal(DeadlineState.None, PledgeRules.Deadline(PledgeStatus.Draft, null, today, false));
        // A closed year: nothing can be done any more, so no reminder of either kind.
        Assert.Equal(DeadlineState.None, PledgeRules.Deadline(PledgeStatus.InProgress, today.AddDays(-1), today, true));
        Assert.Equal(DeadlineState.None, PledgeRules.Deadline(PledgeStatus.Approved, today.AddDays(14), today, true));
    }

    [Fact]
    public void A_collective_plan_lists_each_missing_minimum_until_it_has_them_all()
    {
        Assert.Equal(5, CollectivePlanRules.Missing([]).Count);
        var partial = CollectivePlanRules.Missing([CollectiveCategory.Study, CollectiveCategory.Follow, CollectiveCategory.Creative]);
        Assert.Equal(["Chưa có nội dung nêu gương.", "Chưa có vấn đề bức xúc, nổi cộm cần giải quyết (cần 1–2)."], partial);
        Assert.Empty(CollectivePlanRules.Missing([CollectiveCategory.Study, CollectiveCategory.Follow, CollectiveCategory.Example, CollectiveCategory.Creative, CollectiveCategory.Creative, CollectiveCategory.PressingProblem]));
        var tooMany = CollectivePlanRules.Missing([CollectiveCategory.Study, CollectiveCategory.Follow, CollectiveCategory.Example, CollectiveCategory.Creative, CollectiveCategory.Creative, CollectiveCategory.Creative, CollectiveCategory.PressingProblem]);
        Assert.Equal(["Nhiệm vụ mới, sáng tạo chỉ nên có 1–2 (hiện có 3)."], tooMany);
    }

    [Theory]
    [InlineData("Đã duyệt", PledgeStatus.Approved)]
    [InlineData("hoàn thành", PledgeStatus.Done)]
    [InlineData("", PledgeStatus.Draft)]
    [InlineData("xong rồi", null)]
    [InlineData("Đã báo cáo hoàn thành – chờ xác nhận", PledgeStatus.ReportedDone)]
    [InlineData("đã báo cáo hoàn thành - chờ xác nhận", PledgeStatus.ReportedDone)]
    [InlineData("Báo cáo hoàn thành", PledgeStatus.ReportedDone)]
    public void Spreadsheet_statuses_are_read_from_their_Vietnamese_labels(string text, PledgeStatus? expected) =>
        Assert.Equal(expected, PledgeRules.ParseStatus(text));

    [Fact]
    public void A_status_reads_as_a_state_never_as_the_button_that_leads_to_it()
    {
        Assert.Equal("Đã báo cáo hoàn thành – chờ xác nhận", PledgeStatus.ReportedDone.Label());
        Assert.NotEqual(PledgeAction.ReportDone.Label(), PledgeStatus.ReportedDone.Label());
    }
}
