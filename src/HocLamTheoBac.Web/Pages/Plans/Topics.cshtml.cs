using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Plans;

/// <summary>Adds a breakthrough topic or ethical standard to a unit's year, or removes one of its own (soft).</summary>
public sealed class TopicsModel(AppDbContext db, AccessService access) : PlanYearPage(db, access)
{
    [BindProperty] public TopicInput Topic { get; set; } = new();

    public sealed class TopicInput
    {
        public TopicKind Kind { get; set; } = TopicKind.Breakthrough;
        [Required(ErrorMessage = "Vui lòng nhập tên nội dung."), StringLength(500, ErrorMessage = "Tên tối đa 500 ký tự.")]
        public string? Title { get; set; }
        [StringLength(4000, ErrorMessage = "Mô tả tối đa 4000 ký tự.")] public string? Description { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, toPlan: true, ct)) return NotFound();
        if (ClosedReason is { } closed) Errors.Add(closed);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, toPlan: true, ct)) return NotFound();
        if (ClosedReason is { } closed) { Errors.Add(closed); return Page(); }
        if (!ModelState.IsValid) return Page();
        if (!Enum.IsDefined(Topic.Kind)) { Errors.Add("Loại nội dung không hợp lệ."); return Page(); }
        Db.Topics.Add(new Topic { OrgUnitId = unitId, Year = Year, Kind = Topic.Kind, Title = Topic.Title!.Trim(), Description = string.IsNullOrWhiteSpace(Topic.Description) ? null : Topic.Description.Trim() });
        await Db.SaveChangesAsync(ct);
        return ToPlan("Đã thêm nội dung.");
    }

    public async Task<IActionResult> OnPostDeleteAsync(int unitId, int topicId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, toPlan: true, ct)) return NotFound();
        var topic = await Db.Topics.FirstOrDefaultAsync(t => t.Id == topicId && t.OrgUnitId == unitId, ct);
        if (topic is null) return NotFound();
        topic.DeletedAt = Db.Clock.Now;
        await Db.SaveChangesAsync(ct);
        return ToPlan("Đã xóa nội dung.");
    }
}
