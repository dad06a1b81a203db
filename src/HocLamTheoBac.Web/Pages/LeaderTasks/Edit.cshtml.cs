using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;

namespace HocLamTheoBac.Web.Pages.LeaderTasks;

/// <summary>Assigns (no id) or tracks a breakthrough task given to a named leader.</summary>
public sealed class EditModel(AppDbContext db, AccessService access) : YearRecordEditPage<LeaderTask, EditModel.InputModel>(db, access)
{
    public sealed class InputModel : IVersionedInput
    {
        [Required(ErrorMessage = "Vui lòng nhập họ tên người đứng đầu.")]
        [StringLength(200, ErrorMessage = "Họ tên tối đa 200 ký tự.")]
        public string LeaderName { get; set; } = "";

        [StringLength(300, ErrorMessage = "Chức vụ tối đa 300 ký tự.")]
        public string? LeaderPosition { get; set; }

        [Required(ErrorMessage = "Vui lòng nhập nhiệm vụ.")]
        [StringLength(1000, ErrorMessage = "Nhiệm vụ tối đa 1.000 ký tự.")]
        public string Title { get; set; } = "";

        [Display(Name = "Thời hạn")] public DateOnly? Deadline { get; set; }

        [EnumDataType(typeof(LeaderTaskStatus), ErrorMessage = "Trạng thái không hợp lệ.")]
        public LeaderTaskStatus Status { get; set; } = LeaderTaskStatus.Assigned;

        [StringLength(4000, ErrorMessage = "Kết quả tối đa 4.000 ký tự.")]
        public string? Outcome { get; set; }

        public uint Version { get; set; }
    }

    protected override InputModel ToInput(LeaderTask t) => new()
    {
        LeaderName = t.LeaderName, LeaderPosition = t.LeaderPosition, Title = t.Title, Deadline = t.Deadline,
        Status = t.Status, Outcome = t.Outcome, Version = t.Version,
    };

    protected override LeaderTask Create(int unitId, int year) => new() { OrgUnitId = unitId, Year = year, LeaderName = "", Title = "" };

    protected override void Apply(LeaderTask t)
    {
        t.LeaderName = Input.LeaderName.Trim();
        t.LeaderPosition = Input.LeaderPosition?.Trim();
        t.Title = Input.Title.Trim();
        t.Deadline = Input.Deadline;
        t.Status = Input.Status;
        t.Outcome = Input.Outcome?.Trim();
    }

    protected override string SavedMessage(LeaderTask t) => $"Đã lưu nhiệm vụ của đồng chí {t.LeaderName}.";
    protected override string DeletedMessage(LeaderTask t) => "Đã xóa nhiệm vụ.";
    protected override string GoneMessage => "Nhiệm vụ này vừa bị người khác xóa.";
    protected override string ChangedMessage(LeaderTask t) =>
        $"Nhiệm vụ vừa được người khác cập nhật (trạng thái hiện tại: {t.Status.Label()}).";
}
