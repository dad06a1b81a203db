namespace HocLamTheoBac.Web.Domain;

/// <summary>Escalation of pressing problems and leaders' tasks.</summary>
public static class ProblemRules
{
    /// <summary>Overdue (escalate to the level above): the deadline has passed and the problem is not resolved.</summary>
    public static bool IsOverdue(DateOnly? deadline, ProblemOutcome outcome, DateOnly today) =>
        deadline is DateOnly d && d < today && outcome != ProblemOutcome.Resolved;

    public static bool IsOverdue(DateOnly? deadline, LeaderTaskStatus status, DateOnly today) =>
        deadline is DateOnly d && d < today && status == LeaderTaskStatus.Assigned;
}
