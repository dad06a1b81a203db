using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;

namespace HocLamTheoBac.Web.Pages.Problems;

/// <summary>Registers (no id) or updates a pressing problem: owner, deadline, progress notes, outcome.</summary>
public sealed class EditModel(AppDbContext db, AccessService access) : YearRecordEditPage<PressingProblem, EditModel.InputModel>(db, access)
{
    private readonly VietnamCalendar clock = db.Clock;

    public sealed class InputModel : IVersionedInput
    {
        [Required(ErrorMessage = "Vui lòng nhập nội dung vấn đề.")]
        [StringLength(1000, ErrorMessage = "Nội dung tối đa 1.000 ký tự.")]
        public string Title { get; set; } = "";

        [StringLength(300, ErrorMessage = "Người chịu trách nhiệm tối đa 300 ký tự.")]
        public string? Owner { get; set; }

        [Display(Name = "Thời hạn giải quyết")] public DateOnly? Deadline { get; set; }

        [StringLength(8000, ErrorMessage = "Tiến độ tối đa 8.000 ký tự.")]
        public string? ProgressNotes { get; set; }

        [EnumDataType(typeof(ProblemOutcome), ErrorMessage = "Kết quả không hợp lệ.")]
        public ProblemOutcome Outcome { get; set; } = ProblemOutcome.Open;

        [Display(Name = "Ngày có kết quả")] public DateOnly? ResolvedOn { get; set; }

        public uint Version { get; set; }
    }

    protected override InputModel ToInput(PressingProblem p) => new()
    {
        Title = p.Title, Owner = p.Owner, Deadline = p.Deadline, ProgressNotes = p.ProgressNotes,
        Outcome = p.Outcome, ResolvedOn = p.ResolvedOn, Version = p.Version,
    };

    protected override PressingProblem Create(int unitId, int year) => new() { OrgUnitId = unitId, Year = year, Title = "" };

    /// <summary>An outcome is recorded when it came: not on a day to come (the walk of session 16: resolved on 01/01/2030).</summary>
    protected override void Validate()
    {
        if (VietnameseDates.AfterToday("Ngày có kết quả", Input.ResolvedOn, clock.Today) is { } later) ModelState.AddModelError("Input.ResolvedOn", later);
    }

    /// <summary>A problem marked resolved without a date was resolved today.</summary>
    protected override void Apply(PressingProblem p)
    {
        p.Title = Input.Title.Trim();
        p.Owner = Input.Owner?.Trim();
        p.Deadline = Input.Deadline;
        p.ProgressNotes = Input.ProgressNotes?.Trim();
        p.Outcome = Input.Outcome;
        p.ResolvedOn = Input.Outcome switch
        {
            ProblemOutcome.Open => null,
            ProblemOutcome.Resolved => Input.ResolvedOn ?? clock.Today,
            _ => Input.ResolvedOn,
        };
    }

    protected override string SavedMessage(PressingProblem p) => $"Đã lưu vấn đề “{p.Title}”.";
    protected override string DeletedMessage(PressingProblem p) => $"Đã xóa vấn đề “{p.Title}”.";
    protected override string GoneMessage => "Vấn đề này vừa bị người khác xóa.";
    protected override string ChangedMessage(PressingProblem p) =>
        $"Vấn đề vừa được người khác cập nhật (kết quả hiện tại: {p.Outcome.Label()}).";
}
