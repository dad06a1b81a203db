namespace HocLamTheoBac.Web.Domain;

public enum SessionFormat { InPerson = 1, Online = 2 }

public enum AttendanceStatus { Present = 1, Excused = 2, Absent = 3 }

public sealed class StudySession : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public DateOnly HeldOn { get; set; }
    public required string Theme { get; set; }
    public SessionFormat Format { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

public sealed class Attendance
{
    public int SessionId { get; set; }
    public int MemberId { get; set; }
    public AttendanceStatus Status { get; set; }
}
