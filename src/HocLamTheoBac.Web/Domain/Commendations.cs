namespace HocLamTheoBac.Web.Domain;

public enum CommendationLevel { Praise = 1, Certificate = 2, Merit = 3 }

/// <summary>Biểu dương, giấy khen or bằng khen to a unit or a member.</summary>
public sealed class Commendation : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    /// <summary>The unit that records it (for scope and counting).</summary>
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public CommendationLevel Level { get; set; }
    public int? RecipientOrgUnitId { get; set; }
    public int? RecipientMemberId { get; set; }
    public required string IssuingBody { get; set; }
    public string? DecisionNumber { get; set; }
    public DateOnly? DecisionDate { get; set; }
    public int? ModelId { get; set; }
    public int? PledgeId { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}
